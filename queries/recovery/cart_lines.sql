-- The lines of one cart as the message shows them ($1 cart id), in the order they were added.
SELECT product_name, quantity, unit_price, image_url
FROM cart_items
WHERE cart_session_id = $1::uuid
ORDER BY created_at, id;
