-- What the expired-session pass finds before $1 (now − retention): the sessions it may delete, their items and
-- the first $2 of their ids in deletion order; the expired carts in checkout with an order it leaves to the
-- stuck-cart pass; and the expired sessions it keeps because an order references them (orders.cart_session_id).
-- A dry run reports this; a real run records the carts left and kept.
SELECT count(*) FILTER (WHERE t.deletable) AS sessions,
       coalesce(sum(t.items) FILTER (WHERE t.deletable), 0)::bigint AS items,
       count(*) FILTER (WHERE t.owned_by_stuck_cart_pass) AS left_for_stuck_cart_cleanup,
       count(*) FILTER (WHERE t.referenced_by_order AND NOT t.owned_by_stuck_cart_pass) AS kept_for_orders,
       (array_agg(t.id ORDER BY t.expires_at, t.id) FILTER (WHERE t.deletable))[1:$2::int] AS first_ids
FROM (
    SELECT s.id, s.expires_at, s.owned_by_stuck_cart_pass, s.referenced_by_order,
           NOT s.owned_by_stuck_cart_pass AND NOT s.referenced_by_order AS deletable,
           (SELECT count(*) FROM cart_items AS i WHERE i.cart_session_id = s.id) AS items
    FROM (
        SELECT c.id, c.expires_at,
               COALESCE(c.status = 'checkout' AND c.order_id IS NOT NULL, false) AS owned_by_stuck_cart_pass,
               EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id) AS referenced_by_order
        FROM cart_sessions AS c
        WHERE c.expires_at < $1::timestamptz
    ) AS s
) AS t;
