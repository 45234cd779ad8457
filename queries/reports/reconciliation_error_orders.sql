-- Orders placed in the last 7 days before the run's clock with well-formed confirmation errors, newest first,
-- one row per error (plan task 2.4.2, "orders with errors"). The product name comes from the order's own cart
-- when its items still exist (the stuck-cart pass deletes them), else it is NULL.
-- parameters: now
SELECT e.order_id::text AS order_id, e.order_number, cu.email AS customer_email, e.total_amount, e.currency,
       e.created_at, e.position, e.reason, e.product_id, e.sku, e.warehouse_id, e.message, e.reservation_id,
       (SELECT i.product_name FROM cart_items AS i
        WHERE i.cart_session_id = e.cart_session_id AND i.product_id = e.product_id
        ORDER BY i.id LIMIT 1) AS product_name
FROM checkout_nightly.reservation_confirmation_errors AS e
LEFT JOIN customers AS cu ON cu.id = e.customer_id
WHERE e.created_at >= $1::timestamptz - interval '7 days' AND e.created_at <= $1::timestamptz
ORDER BY e.created_at DESC, e.order_number, e.position;
