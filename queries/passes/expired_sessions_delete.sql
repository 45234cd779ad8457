-- Deletes one batch of sessions whose expires_at is before $1 (now − retention), at most $2 of them, oldest
-- first, with their items (deleted here rather than left to ON DELETE CASCADE, so that the pass does not rely on
-- the order service's foreign key). Carts in checkout with an order are never selected: the stuck-cart pass owns
-- them; nor is a session an order references through orders.cart_session_id (the order's history needs it).
-- A NULL status (production tables may allow it) is not "checkout": such a session is deleted like any other.
-- Selection and deletion are one statement under row locks: a session changed meanwhile (its expiry extended) is
-- re-checked against the newest row by PostgreSQL before it is deleted. SKIP LOCKED: a session another transaction holds is left for the next run. Returns each session deleted
-- with how many items went.
WITH doomed AS (
    SELECT s.id
    FROM cart_sessions AS s
    WHERE s.expires_at < $1::timestamptz AND NOT COALESCE(s.status = 'checkout' AND s.order_id IS NOT NULL, false)
      AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = s.id)
    ORDER BY s.expires_at, s.id
    LIMIT $2::int
    FOR UPDATE SKIP LOCKED
), deleted_items AS (
    DELETE FROM cart_items AS i
    USING doomed
    WHERE i.cart_session_id = doomed.id
    RETURNING i.cart_session_id
), deleted_sessions AS (
    DELETE FROM cart_sessions AS s
    USING doomed
    WHERE s.id = doomed.id
    RETURNING s.id, s.expires_at
)
SELECT s.id, count(d.cart_session_id) AS items
FROM deleted_sessions AS s
LEFT JOIN deleted_items AS d ON d.cart_session_id = s.id
GROUP BY s.id, s.expires_at
ORDER BY s.expires_at, s.id;
