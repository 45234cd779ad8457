-- Attempts left in flight by a run whose database session has ended (the process was killed or crashed) are
-- closed as interrupted: the call may or may not have reached the service, so it does not count, and the error is
-- due again at once (the same Idempotency-Key makes the repeat safe). In-flight attempts of a live session
-- (another copy calling now) are left alone. Returns how many were closed.
-- parameters: now
WITH stale AS (
    UPDATE checkout_nightly.reservation_retries AS r
    SET in_flight_attempt = NULL, claimed_by_pid = NULL, claimed_by_backend_start = NULL
    WHERE r.in_flight_attempt IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM pg_stat_activity AS a
          WHERE a.pid = r.claimed_by_pid AND a.backend_start = r.claimed_by_backend_start)
    RETURNING r.order_id, r.reservation_id
)
UPDATE checkout_nightly.reservation_retry_attempts AS t
SET outcome = 'interrupted', finished_at = $1::timestamptz
FROM stale
WHERE t.order_id = stale.order_id AND t.reservation_id = stale.reservation_id AND t.outcome = 'in_flight';
