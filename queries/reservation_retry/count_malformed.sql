-- Error entries of orders created within the window that cannot be retried: not objects, or without a
-- reservation_id string. They are never called and stay on the reconciliation page's malformed list.
-- parameters: now, window_seconds
SELECT count(*) AS malformed
FROM checkout_nightly.reservation_error_entries AS e
WHERE e.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND e.created_at <= $1::timestamptz
  AND e.reservation_id IS NULL;
