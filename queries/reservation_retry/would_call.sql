-- For --dry-run: the calls a run would make now, without changing a row: errors of the ledger that are due, and
-- errors not enrolled yet whose first attempt is due.
-- parameters: now, window_seconds, first_delay_seconds
SELECT r.order_id::text AS order_id, r.order_number, r.reservation_id, r.attempts + 1 AS attempt
FROM checkout_nightly.reservation_retries AS r
WHERE r.state = 'pending' AND r.in_flight_attempt IS NULL AND r.next_attempt_at <= $1::timestamptz
UNION ALL
SELECT o.id::text, o.order_number, e.value ->> 'reservation_id', 1
FROM orders AS o
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
         THEN o.metadata -> 'reservation_confirmation_errors' ELSE '[]'::jsonb END) AS e (value)
WHERE o.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND o.created_at <= $1::timestamptz - make_interval(secs => $3::double precision)
  AND jsonb_typeof(e.value) = 'object'
  AND jsonb_typeof(e.value -> 'reservation_id') = 'string'
  AND e.value ->> 'reservation_id' <> ''
  AND NOT EXISTS (SELECT 1 FROM checkout_nightly.reservation_retries AS r
                  WHERE r.order_id = o.id AND r.reservation_id = e.value ->> 'reservation_id')
ORDER BY 1, 3;
