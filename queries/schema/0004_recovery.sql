-- Cart recovery (plan task 2.1, DESIGN.md §3): the discount codes, the recovery ledger (one row per cart and
-- stage) and the notification outbox the notification service consumes. The constraints, not only the code,
-- keep "each stage at most once per cart", "one outbox row per message" and "codes are unique" true when the
-- batch is killed midway or two copies run at once. No foreign key points at the order service's tables: their
-- rows are deleted by the expired-session pass and the history here must outlive them.
CREATE TABLE checkout_nightly.discount_codes (
    id                 bigserial PRIMARY KEY,
    code               text NOT NULL
                       CONSTRAINT discount_codes_code_unique UNIQUE
                       CONSTRAINT discount_codes_code_alphabet CHECK (code ~ '^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4})+$'),
    percent            integer NOT NULL CHECK (percent BETWEEN 1 AND 100),
    customer_id        uuid NOT NULL,
    cart_id            uuid NOT NULL,
    issued_at          timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    -- Set by the batch's attribution from orders.discount_code; the storefront enforces single use.
    redeemed_order_id  uuid,
    redeemed_at        timestamptz,
    CHECK (expires_at > issued_at)
);

CREATE TABLE checkout_nightly.recovery_messages (
    id                      uuid PRIMARY KEY,
    cart_id                 uuid NOT NULL,
    customer_id             uuid NOT NULL,
    stage                   text NOT NULL CHECK (stage IN ('first_email', 'push', 'second_email')),
    channel                 text NOT NULL CHECK (channel IN ('email', 'push')),
    -- The e-mail address, or the customer id for push (the notification service resolves the devices).
    recipient               text NOT NULL,
    locale                  text NOT NULL,
    subject                 text NOT NULL,
    code                    text CONSTRAINT recovery_messages_code_fkey
                            REFERENCES checkout_nightly.discount_codes (code),
    -- SHA-256 (hex) of the link token and (e-mails only) of the unsubscribe token; the tokens themselves are
    -- never stored here.
    token_hash              text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    unsubscribe_token_hash  text UNIQUE CHECK (unsubscribe_token_hash ~ '^[0-9a-f]{64}$'),
    -- The cart's last activity the stage was timed from.
    cart_activity_at        timestamptz NOT NULL,
    created_at              timestamptz NOT NULL,
    -- When the link (and the code) stop working.
    expires_at              timestamptz NOT NULL,
    run_id                  uuid NOT NULL,
    -- Set by the storefront when the link is opened; the batch only reads it.
    clicked_at              timestamptz,
    -- Set by the batch's attribution: the order this message is credited with, and whether its attribution
    -- window has closed (the credit is then final and no longer recomputed).
    converted_order_id      uuid,
    converted_at            timestamptz,
    attribution_final       boolean NOT NULL DEFAULT false,
    CONSTRAINT recovery_messages_one_per_cart_stage UNIQUE (cart_id, stage),
    CONSTRAINT recovery_messages_code_for_email CHECK ((channel = 'email') = (code IS NOT NULL)),
    CONSTRAINT recovery_messages_unsubscribe_for_email CHECK ((channel = 'email') = (unsubscribe_token_hash IS NOT NULL)),
    CHECK (expires_at > created_at)
);

CREATE TABLE checkout_nightly.notification_outbox (
    id             bigserial PRIMARY KEY,
    -- The recovery message this notification carries: at most one notification per message.
    message_id     uuid NOT NULL
                   CONSTRAINT notification_outbox_one_per_message UNIQUE
                   REFERENCES checkout_nightly.recovery_messages (id),
    channel        text NOT NULL CHECK (channel IN ('email', 'push')),
    recipient      text NOT NULL,
    -- The e-mail subject, or the push title.
    subject        text NOT NULL,
    html           text,
    -- The e-mail's text part, or the push body.
    text           text NOT NULL,
    -- Header name to value (From, To, Subject, Date, Message-ID, List-Unsubscribe, …) or, for push, the deep link.
    headers        jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL,
    -- Set by the notification service once it has handed the message on.
    dispatched_at  timestamptz,
    CHECK ((channel = 'email') = (html IS NOT NULL))
);

CREATE INDEX recovery_messages_customer_created_at_idx
    ON checkout_nightly.recovery_messages (customer_id, created_at DESC);
CREATE INDEX recovery_messages_attribution_open_idx
    ON checkout_nightly.recovery_messages (created_at) WHERE NOT attribution_final;
CREATE INDEX discount_codes_cart_id_idx ON checkout_nightly.discount_codes (cart_id);
CREATE INDEX notification_outbox_pending_idx
    ON checkout_nightly.notification_outbox (created_at) WHERE dispatched_at IS NULL;
