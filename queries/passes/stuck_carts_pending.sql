-- Carts still stuck in checkout with an order and untouched since the cutoff ($1: now − grace period), by
-- whether the order exists: the checkout_carts_pending_cleanup gauge. And the carts in checkout with an order
-- whose updated_at is NULL (production tables may allow it): the pass cannot tell how long they have waited
-- nor check that they did not change, so it leaves them alone and counts them as skipped_malformed.
SELECT count(*) FILTER (WHERE c.updated_at IS NOT NULL AND EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id))
           AS order_found,
       count(*) FILTER (WHERE c.updated_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id))
           AS order_missing,
       count(*) FILTER (WHERE c.updated_at IS NULL) AS without_activity_time
FROM cart_sessions AS c
WHERE c.status = 'checkout' AND c.order_id IS NOT NULL AND (c.updated_at < $1::timestamptz OR c.updated_at IS NULL);
