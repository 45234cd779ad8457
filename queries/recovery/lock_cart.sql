-- Claims one cart for the send transaction ($1 cart id) and names its customer: no row when another transaction
-- (a concurrent copy of the pass, or the storefront) holds the cart, which is then left for the next run.
SELECT id, customer_id FROM cart_sessions WHERE id = $1::uuid FOR UPDATE SKIP LOCKED;
