-- Investigation 2: everything about one order with failed reservations: the order, its cart, each reservation
-- it tried and whether its confirmation failed (with the reason, product and warehouse), and any malformed
-- error record. Run (psql quotes the value safely):
--   psql -v order_number=ORD-0123456789ABCDEF -f queries/investigation/02_order_detail.sql
SELECT o.order_number, o.status, o.total_amount, o.currency, o.created_at, o.discount_code,
       c.status AS cart_status, c.metadata AS cart_metadata, c.checkout_started_at
FROM orders AS o
LEFT JOIN cart_sessions AS c ON c.id = o.cart_session_id
WHERE o.order_number = :'order_number';

SELECT r.reservation_id,
       CASE WHEN e.reservation_id IS NULL THEN 'confirmed' ELSE 'failed' END AS confirmation,
       e.reason, e.product_id, e.sku, e.warehouse_id, e.message
FROM orders AS o
CROSS JOIN LATERAL jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(o.metadata -> 'reservation_ids') = 'array' THEN o.metadata -> 'reservation_ids'
         ELSE '[]'::jsonb END) AS r (reservation_id)
LEFT JOIN checkout_nightly.reservation_confirmation_errors AS e
       ON e.order_id = o.id AND e.reservation_id = r.reservation_id
WHERE o.order_number = :'order_number';

SELECT position, problem, raw_value
FROM checkout_nightly.reservation_metadata_problems
WHERE order_number = :'order_number'
ORDER BY position NULLS FIRST;
