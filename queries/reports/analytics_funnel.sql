-- The cart funnel (plan task 3.2) for carts created in the report window [now - window_days, now):
-- carts → carts with items (an item row, or an order: the stuck-cart pass deletes a completed cart's items)
-- → checkout started (checkout_started_at set, or an order) → order placed (an order with that cart).
-- parameters: now, window_days
SELECT count(*)::bigint AS carts,
       count(*) FILTER (WHERE has_items OR has_order)::bigint AS with_items,
       count(*) FILTER (WHERE (has_items OR has_order) AND (checkout_started_at IS NOT NULL OR has_order))::bigint
           AS checkout_started,
       count(*) FILTER (WHERE has_order)::bigint AS order_placed
FROM checkout_nightly.cart_outcomes
WHERE created_at >= $1::timestamptz - make_interval(days => $2::integer) AND created_at < $1::timestamptz;
