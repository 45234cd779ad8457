-- Failure reasons of the well-formed confirmation errors of orders placed in the report window, most frequent
-- first (plan task 1.5.2, panel 4).
-- parameters: now, window_days
SELECT reason, count(*)::bigint AS errors, count(DISTINCT order_id)::bigint AS orders
FROM checkout_nightly.reservation_confirmation_errors
WHERE created_at >= $1::timestamptz - make_interval(days => $2::integer) AND created_at <= $1::timestamptz
GROUP BY reason
ORDER BY errors DESC, reason;
