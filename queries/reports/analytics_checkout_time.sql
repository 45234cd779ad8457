-- Checkout completion time: for orders placed in the report window whose cart recorded when checkout started,
-- the seconds from checkout_started_at to the order's created_at; median and 90th percentile (continuous).
-- parameters: now, window_days
SELECT count(*)::bigint AS orders,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90_seconds
FROM (
    SELECT extract(epoch FROM o.created_at - c.checkout_started_at)::double precision AS seconds
    FROM orders AS o
    JOIN cart_sessions AS c ON c.id = o.cart_session_id
    WHERE o.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND o.created_at < $1::timestamptz
      AND c.checkout_started_at IS NOT NULL AND c.checkout_started_at <= o.created_at
) AS durations;
