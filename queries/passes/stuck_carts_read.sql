-- The next batch of carts stuck in checkout with an order and untouched since the cutoff, read WITHOUT locks:
-- the versions read here are what the claim later compares against (the optimistic lock of task 1.4).
-- $1 cutoff (now − grace period); $2, $3 the keyset cursor: updated_at and id of the last cart of the previous
-- batch ('-infinity' and the nil uuid for the first batch); $4 batch size. The inner query walks
-- cart_sessions_checkout_with_order_idx from the cursor on; the order and item look-ups run for the batch only.
SELECT c.id, c.order_id, c.version, c.updated_at,
       EXISTS (SELECT 1 FROM orders AS o WHERE o.id = c.order_id) AS order_exists,
       (SELECT count(*) FROM cart_items AS i WHERE i.cart_session_id = c.id) AS items
FROM (
    SELECT s.id, s.order_id, s.version, s.updated_at
    FROM cart_sessions AS s
    WHERE s.status = 'checkout' AND s.order_id IS NOT NULL AND s.updated_at < $1::timestamptz
      AND s.updated_at >= $2::timestamptz AND (s.updated_at, s.id) > ($2::timestamptz, $3::uuid)
    ORDER BY s.updated_at, s.id
    LIMIT $4::int
) AS c
ORDER BY c.updated_at, c.id;
