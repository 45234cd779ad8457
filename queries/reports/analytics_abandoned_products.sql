-- The 10 products left most often in abandoned carts: carts created in the report window with no order whose
-- last activity is more than a day before the run's clock (or that the recovery pass marked abandoned).
-- Counted in carts and units; the name is the most recent one seen for the product.
-- parameters: now, window_days
SELECT i.product_id,
       (array_agg(i.product_name ORDER BY i.updated_at DESC))[1] AS product_name,
       count(DISTINCT c.id)::bigint AS carts,
       sum(i.quantity)::bigint AS units
FROM cart_sessions AS c
JOIN cart_items AS i ON i.cart_session_id = c.id
WHERE c.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND c.created_at < $1::timestamptz
  AND (c.status = 'abandoned' OR (c.status <> 'completed' AND c.updated_at < $1::timestamptz - interval '1 day'))
  AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)
GROUP BY i.product_id
ORDER BY carts DESC, units DESC, i.product_id
LIMIT 10;
