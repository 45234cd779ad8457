-- The lines of one cart as the message shows them ($1 cart id), in the order they were added. available: the
-- line passed its stock check (in_stock not false, no stock_error; task 1.3), else it reads "currently unavailable".
SELECT product_name, quantity, unit_price, image_url,
       in_stock IS DISTINCT FROM false AND NULLIF(btrim(stock_error), '') IS NULL AS available
FROM cart_items
WHERE cart_session_id = $1::uuid
ORDER BY created_at, id;
