-- The checkout success rate per day (UTC) over the report window: carts whose checkout started that day, and
-- those of them with an order. Every day appears, 0 included.
-- parameters: now, window_days
WITH days AS (
    SELECT d::date AS day
    FROM generate_series(($1::timestamptz - make_interval(days => $2::integer - 1))::date, $1::timestamptz::date,
                         interval '1 day') AS d
), started AS (
    SELECT c.checkout_started_at::date AS day,
           count(*) AS started,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)) AS with_order
    FROM cart_sessions AS c
    WHERE c.checkout_started_at >= ($1::timestamptz - make_interval(days => $2::integer - 1))::date
      AND c.checkout_started_at < $1::timestamptz
    GROUP BY 1
)
SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
       COALESCE(started.started, 0)::bigint AS started,
       COALESCE(started.with_order, 0)::bigint AS with_order
FROM days LEFT JOIN started USING (day)
ORDER BY days.day;
