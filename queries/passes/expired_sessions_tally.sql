-- What the expired-session pass finds before $1 (now − retention): the sessions it may delete, their items and
-- the first $2 of their ids in deletion order; and the expired carts in checkout with an order it leaves to the
-- stuck-cart pass. A dry run reports this; a real run records the carts left.
SELECT count(*) FILTER (WHERE NOT t.owned_by_stuck_cart_pass) AS sessions,
       coalesce(sum(t.items) FILTER (WHERE NOT t.owned_by_stuck_cart_pass), 0)::bigint AS items,
       count(*) FILTER (WHERE t.owned_by_stuck_cart_pass) AS left_for_stuck_cart_cleanup,
       (array_agg(t.id ORDER BY t.expires_at, t.id) FILTER (WHERE NOT t.owned_by_stuck_cart_pass))[1:$2::int]
           AS first_ids
FROM (
    SELECT s.id, s.expires_at, s.status = 'checkout' AND s.order_id IS NOT NULL AS owned_by_stuck_cart_pass,
           (SELECT count(*) FROM cart_items AS i WHERE i.cart_session_id = s.id) AS items
    FROM cart_sessions AS s
    WHERE s.expires_at < $1::timestamptz
) AS t;
