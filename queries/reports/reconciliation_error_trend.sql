-- Per day (UTC) over the report window: orders that recorded confirmation errors (any shape) and the
-- well-formed errors they hold. Every day appears, 0 included.
-- parameters: now, window_days
WITH days AS (
    SELECT d::date AS day
    FROM generate_series(($1::timestamptz - make_interval(days => $2::integer - 1))::date, $1::timestamptz::date,
                         interval '1 day') AS d
), affected AS (
    SELECT created_at::date AS day, count(*) AS orders
    FROM checkout_nightly.orders_with_reservation_errors
    WHERE created_at >= ($1::timestamptz - make_interval(days => $2::integer - 1))::date
      AND created_at <= $1::timestamptz
    GROUP BY 1
), errors AS (
    SELECT created_at::date AS day, count(*) AS errors
    FROM checkout_nightly.reservation_confirmation_errors
    WHERE created_at >= ($1::timestamptz - make_interval(days => $2::integer - 1))::date
      AND created_at <= $1::timestamptz
    GROUP BY 1
)
SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
       COALESCE(affected.orders, 0)::bigint AS orders,
       COALESCE(errors.errors, 0)::bigint AS errors
FROM days LEFT JOIN affected USING (day) LEFT JOIN errors USING (day)
ORDER BY days.day;
