-- The order service's tables (DESIGN.md §2). Production already has them: every statement here leaves an
-- existing table alone, so `migrate` only creates what the demo and the tests need.
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

-- Indexes the passes and reports need (IF NOT EXISTS: an index the order service already has is kept).
CREATE INDEX IF NOT EXISTS cart_items_cart_session_id_idx ON cart_items (cart_session_id);
CREATE INDEX IF NOT EXISTS cart_sessions_checkout_with_order_idx
    ON cart_sessions (updated_at) WHERE status = 'checkout' AND order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS cart_sessions_expires_at_idx ON cart_sessions (expires_at);
CREATE INDEX IF NOT EXISTS cart_sessions_active_updated_at_idx
    ON cart_sessions (updated_at) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS cart_sessions_customer_id_idx ON cart_sessions (customer_id);
CREATE INDEX IF NOT EXISTS orders_cart_session_id_idx ON orders (cart_session_id);
CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
CREATE INDEX IF NOT EXISTS orders_with_reservation_errors_idx
    ON orders (created_at) WHERE metadata ? 'reservation_confirmation_errors';
