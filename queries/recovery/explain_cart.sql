-- What decides whether cart recovery considers one cart at all ($1 cart id, $2 the clock), for `explain`:
-- read-only, and readable by the reports role. No row when the cart does not exist.
SELECT c.status, c.is_active, c.order_id IS NOT NULL AS has_order_id, c.currency, c.updated_at, c.expires_at,
       c.expires_at <= $2::timestamptz AS expired,
       EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id) AS has_order,
       c.customer_id IS NULL AS guest,
       array_remove(ARRAY[CASE WHEN c.updated_at IS NULL THEN 'updated_at' END,
                          CASE WHEN c.expires_at IS NULL THEN 'expires_at' END], NULL) AS null_columns,
       (SELECT count(*) FROM cart_items AS i WHERE i.cart_session_id = c.id) AS lines,
       (SELECT count(*) FROM cart_items AS i
        WHERE i.cart_session_id = c.id
          AND i.in_stock IS DISTINCT FROM false AND NULLIF(btrim(i.stock_error), '') IS NULL) AS lines_in_stock
FROM cart_sessions AS c
WHERE c.id = $1::uuid;
