-- The order service's tables (DESIGN.md §2), for the demo and the tests. Production already has them: `migrate`
-- then records this file without running it, and every statement here leaves an existing table alone anyway.
-- The indexes the batch wants on these tables are in queries/indexes/order_service_indexes.sql
-- (deploy/postgres/indexes.sql), built CONCURRENTLY outside any migration.
CREATE TABLE IF NOT EXISTS customers (
    id                uuid PRIMARY KEY,
    email             text NOT NULL,
    first_name        text NOT NULL DEFAULT '',
    locale            text NOT NULL DEFAULT 'en-US',
    marketing_opt_in  boolean NOT NULL DEFAULT false,
    unsubscribed_at   timestamptz,
    email_bounced_at  timestamptz,
    push_enabled      boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS cart_sessions (
    id                   uuid PRIMARY KEY,
    session_id           text NOT NULL UNIQUE,
    customer_id          uuid,
    status               text NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'checkout', 'completed', 'abandoned')),
    is_active            boolean NOT NULL DEFAULT true,
    order_id             uuid,
    currency             char(3) NOT NULL,
    metadata             jsonb NOT NULL DEFAULT '{}',
    version              integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    checkout_started_at  timestamptz,
    expires_at           timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS cart_items (
    id               uuid PRIMARY KEY,
    cart_session_id  uuid NOT NULL REFERENCES cart_sessions (id) ON DELETE CASCADE,
    product_id       text NOT NULL,
    sku              text NOT NULL,
    product_name     text NOT NULL,
    image_url        text,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price       numeric(12, 2) NOT NULL,
    in_stock         boolean NOT NULL DEFAULT true,
    stock_error      text,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orders (
    id               uuid PRIMARY KEY,
    order_number     text NOT NULL UNIQUE,
    customer_id      uuid NOT NULL,
    cart_session_id  uuid,
    status           text NOT NULL,
    total_amount     numeric(12, 2) NOT NULL,
    currency         char(3) NOT NULL,
    discount_code    text,
    metadata         jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now()
);
