-- The first statement of a send transaction ($1: the cart). Takes the cart's row lock, skipping a cart another
-- transaction holds (the storefront mid-change, or another copy of the pass: never waited for), and then its
-- customer's advisory lock, which serialises sends to one customer across copies of the pass, so the re-read that
-- follows sees every message to the customer committed before (the per-customer cap). No row: the cart is held
-- elsewhere. A customer held past lock_timeout fails the statement (SQLSTATE 55P03): left for the next run.
SELECT claimed.id, claimed.customer_id,
       CASE WHEN claimed.customer_id IS NOT NULL THEN
           pg_advisory_xact_lock(hashtext('checkout_nightly.recovery_customer'), hashtext(claimed.customer_id::text))::text
       END AS customer_lock
FROM (SELECT c.id, c.customer_id FROM cart_sessions AS c WHERE c.id = $1::uuid FOR UPDATE SKIP LOCKED) AS claimed;
