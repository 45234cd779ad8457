-- For --dry-run: the calls a run would make now, without changing a row: errors of the ledger that are due, and
-- errors not enrolled yet whose first attempt is due.
-- parameters: now, window_seconds, first_delay_seconds
SELECT r.order_id::text AS order_id, r.order_number, r.reservation_id, r.attempts + 1 AS attempt
FROM checkout_nightly.reservation_retries AS r
WHERE r.state = 'pending' AND r.in_flight_attempt IS NULL AND r.next_attempt_at <= $1::timestamptz
UNION ALL
SELECT e.order_id::text, e.order_number, e.reservation_id, 1
FROM checkout_nightly.reservation_error_entries AS e
WHERE e.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND e.created_at <= $1::timestamptz - make_interval(secs => $3::double precision)
  AND e.reservation_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM checkout_nightly.reservation_retries AS r
                  WHERE r.order_id = e.order_id AND r.reservation_id = e.reservation_id)
ORDER BY 1, 3;
