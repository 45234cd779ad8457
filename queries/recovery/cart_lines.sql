-- The lines of the carts of a send batch ($1) as the message shows them, each cart's in the order they were added.
-- available: the line passed its stock check (in_stock not false, no stock_error; task 1.3), else it reads
-- "currently unavailable".
SELECT cart_session_id AS cart_id, product_name, quantity, unit_price, image_url,
       in_stock IS DISTINCT FROM false AND NULLIF(btrim(stock_error), '') IS NULL AS available
FROM cart_items
WHERE cart_session_id = ANY($1::uuid[])
ORDER BY cart_session_id, created_at, id;
