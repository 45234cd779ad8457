-- The recovery holdout (issue 14, docs/recovery.md "Holdout"): a share of customers gets no recovery message,
-- so that their carts show what would have happened anyway. A held-out cart gets a row here at the stage it would
-- have been messaged, recorded under the same locks and in the same transaction shape as a message, one per cart
-- and stage (the same constraint as the message ledger's), and attributed to orders like a message.

-- The secret key of the holdout's HMAC-SHA-256 of customer ids: one row, 32 bytes, drawn here once per database
-- from gen_random_uuid() (a CSPRNG; 244 random bits). A customer cannot predict whether they are held out; every
-- copy of the batch, `explain` and a replica read the same key, so the assignment is stable across runs.
-- Replacing the key reassigns every customer (docs/recovery.md).
CREATE TABLE checkout_nightly.recovery_holdout_key (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    key         bytea NOT NULL CHECK (length(key) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO checkout_nightly.recovery_holdout_key (key)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- The held-out ledger: what a message row is, without a message (no recipient, code, token or outbox row).
CREATE TABLE checkout_nightly.recovery_holdouts (
    id                  uuid PRIMARY KEY,
    cart_id             uuid NOT NULL,
    customer_id         uuid NOT NULL,
    stage               text NOT NULL CHECK (stage IN ('first_email', 'push', 'second_email')),
    -- The cart's currency, for the incremental revenue per currency: text, not char(3), so that whatever the
    -- order service's column holds is recorded rather than failing the send transaction.
    currency            text NOT NULL,
    -- The cart's last activity the stage was timed from.
    cart_activity_at    timestamptz NOT NULL,
    created_at          timestamptz NOT NULL,
    run_id              uuid NOT NULL,
    -- Set by the batch's attribution exactly as for messages (an order from the cart within the window).
    converted_order_id  uuid,
    converted_at        timestamptz,
    attribution_final   boolean NOT NULL DEFAULT false,
    CONSTRAINT recovery_holdouts_one_per_cart_stage UNIQUE (cart_id, stage)
);

CREATE INDEX recovery_holdouts_customer_created_at_idx
    ON checkout_nightly.recovery_holdouts (customer_id, created_at DESC);
CREATE INDEX recovery_holdouts_attribution_open_idx
    ON checkout_nightly.recovery_holdouts (created_at) WHERE NOT attribution_final;
