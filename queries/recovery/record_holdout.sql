-- Records the held-out carts of a send batch (their customers are in the recovery holdout) at the stage each would
-- have been messaged: in the second and last round trip of the send transaction, with COMMIT, under the same locks
-- as a message. Returns the carts recorded; a row another copy of the pass recorded first (one per cart and stage)
-- records nothing for that cart.
-- Arrays, one element per cart: $1 id, $2 cart, $3 customer, $4 stage, $5 currency, $6 cart activity. $7 created,
-- $8 run.
INSERT INTO checkout_nightly.recovery_holdouts (id, cart_id, customer_id, stage, currency, cart_activity_at, created_at, run_id)
SELECT i.id, i.cart_id, i.customer_id, i.stage, i.currency, i.cart_activity_at, $7::timestamptz, $8::uuid
FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
    AS i(id, cart_id, customer_id, stage, currency, cart_activity_at)
ON CONFLICT ON CONSTRAINT recovery_holdouts_one_per_cart_stage DO NOTHING
RETURNING cart_id;
