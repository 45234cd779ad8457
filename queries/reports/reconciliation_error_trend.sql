-- Per day (UTC) over the report window: orders that recorded confirmation errors (any shape) and the
-- well-formed errors they hold. Every day appears, 0 included.
-- parameters: now, window_days
WITH days AS (
    SELECT d::date AS day
    FROM generate_series(($1::timestamptz - make_interval(days => $2::integer - 1))::date, $1::timestamptz::date,
                         interval '1 day') AS d
), affected AS (
    SELECT o.created_at::date AS day, count(DISTINCT o.id) AS orders, count(e.order_id) AS errors
    FROM checkout_nightly.orders_with_reservation_errors AS o
    LEFT JOIN checkout_nightly.reservation_confirmation_errors AS e ON e.order_id = o.id
    WHERE o.created_at >= ($1::timestamptz - make_interval(days => $2::integer - 1))::date
      AND o.created_at <= $1::timestamptz
    GROUP BY 1
)
SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
       COALESCE(affected.orders, 0)::bigint AS orders,
       COALESCE(affected.errors, 0)::bigint AS errors
FROM days LEFT JOIN affected USING (day)
ORDER BY days.day;
