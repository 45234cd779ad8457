-- Affected orders (orders that recorded reservation confirmation errors, whatever their shape): all time, in
-- the report window, in the last 7 days; and how many of them hold malformed error metadata (all time).
-- parameters: now, window_days
SELECT count(*)::bigint AS affected_orders,
       count(*) FILTER (WHERE created_at >= $1::timestamptz - make_interval(days => $2::integer))::bigint
           AS affected_orders_in_window,
       count(*) FILTER (WHERE created_at >= $1::timestamptz - interval '7 days')::bigint AS affected_orders_7d,
       (SELECT count(DISTINCT order_id) FROM checkout_nightly.reservation_metadata_problems
        WHERE created_at <= $1::timestamptz)::bigint AS malformed_orders
FROM checkout_nightly.orders_with_reservation_errors
WHERE created_at <= $1::timestamptz;
