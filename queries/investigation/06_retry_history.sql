-- Investigation 6: what the reservation-retry pass did for one order: each failed confirmation it took in (its
-- state, attempts, reason, last answer, next attempt) and every attempt with its answer and duration. Run:
--   psql -v order_number=ORD-0123456789ABCDEF -f queries/investigation/06_retry_history.sql
SELECT r.reservation_id, r.state, r.attempts, r.exhausted_reason, r.last_answer, r.last_attempt_at,
       r.next_attempt_at, r.enrolled_at, r.resolved_at
FROM checkout_nightly.reservation_retries AS r
WHERE r.order_number = :'order_number'
ORDER BY r.reservation_id;

SELECT a.reservation_id, a.attempt, a.started_at, a.outcome, a.http_status, a.error, a.duration_ms,
       a.next_attempt_at
FROM checkout_nightly.reservation_retry_attempts AS a
JOIN checkout_nightly.reservation_retries AS r USING (order_id, reservation_id)
WHERE r.order_number = :'order_number'
ORDER BY a.reservation_id, a.id;
