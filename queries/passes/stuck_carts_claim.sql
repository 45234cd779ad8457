-- Locks the carts of one batch that no other transaction holds ($1: their ids) and returns each as it is now.
-- SKIP LOCKED: a cart held by the order service or by another copy of the pass is skipped, never waited for,
-- so two copies never touch the same cart. Runs in the batch's transaction; the locks last until it ends.
SELECT c.id, c.status, c.order_id, c.version,
       EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id) AS order_exists,
       c.status = 'completed' AND c.metadata @> '{"cleaned_by_job": true}' AS completed_by_job
FROM cart_sessions AS c
WHERE c.id = ANY ($1::uuid[])
FOR UPDATE OF c SKIP LOCKED;
