-- Records one held-out cart (the customer is in the recovery holdout) at the stage it would have been messaged:
-- the second and last round trip of its send transaction, with COMMIT, under the same locks as a message. A row
-- another copy of the pass recorded first (one per cart and stage) makes the statement record nothing.
-- $1 id, $2 cart, $3 customer, $4 stage, $5 currency, $6 cart activity, $7 created, $8 run
WITH recorded AS (
    INSERT INTO checkout_nightly.recovery_holdouts
        (id, cart_id, customer_id, stage, currency, cart_activity_at, created_at, run_id)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::timestamptz, $7::timestamptz, $8::uuid)
    ON CONFLICT ON CONSTRAINT recovery_holdouts_one_per_cart_stage DO NOTHING
    RETURNING id
)
SELECT count(*) AS held_out FROM recorded;
