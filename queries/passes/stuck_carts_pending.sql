-- Carts still stuck in checkout with an order and untouched since the cutoff ($1: now − grace period), by
-- whether the order exists: the checkout_carts_pending_cleanup gauge.
SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id)) AS order_found,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id)) AS order_missing
FROM cart_sessions AS c
WHERE c.status = 'checkout' AND c.order_id IS NOT NULL AND c.updated_at < $1::timestamptz;
