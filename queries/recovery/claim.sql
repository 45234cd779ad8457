-- The first statement of a send transaction ($1: the batch's carts). Takes each cart's row lock, skipping carts
-- another transaction holds (the storefront mid-change, or another copy of the pass: never waited for), then the
-- advisory lock of each of their customers, which serialises sends to one customer across copies of the pass, so
-- the re-read that follows sees every message to those customers committed before (the per-customer cap). The
-- customer locks are taken in the order of their keys, the same in every copy, so two copies waiting for each
-- other's customers cannot deadlock. Returns the carts claimed; a cart missing is held elsewhere. A customer held
-- past lock_timeout fails the statement (SQLSTATE 55P03), and with it the batch.
WITH claimed AS MATERIALIZED (
    SELECT c.id, c.customer_id FROM cart_sessions AS c WHERE c.id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED
), customer_locks AS MATERIALIZED (
    SELECT pg_advisory_xact_lock(hashtext('checkout_nightly.recovery_customer'), keys.key)
    FROM (SELECT DISTINCT hashtext(claimed.customer_id::text) AS key
          FROM claimed WHERE claimed.customer_id IS NOT NULL ORDER BY key) AS keys
)
SELECT claimed.id, (SELECT count(*) FROM customer_locks) AS customers_locked
FROM claimed;
