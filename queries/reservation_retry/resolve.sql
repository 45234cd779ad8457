-- Records one attempt's answer and the error's new state; only an attempt still in flight is resolved.
-- counted is false for an attempt that does not count (a refused token); next_attempt_at is NULL unless the
-- error stays pending.
-- parameters: attempt_id, finished_at, http_status, error, duration_ms, outcome, counted, state, next_attempt_at, exhausted_reason, last_answer
WITH attempt AS (
    UPDATE checkout_nightly.reservation_retry_attempts
    SET finished_at = $2::timestamptz, http_status = $3::integer, error = $4::text, duration_ms = $5::integer,
        outcome = $6::text, next_attempt_at = $9::timestamptz
    WHERE id = $1::bigint AND outcome = 'in_flight'
    RETURNING order_id, reservation_id, attempt
)
UPDATE checkout_nightly.reservation_retries AS r
SET in_flight_attempt = NULL, claimed_by_pid = NULL, claimed_by_backend_start = NULL,
    attempts = CASE WHEN $7::boolean THEN a.attempt ELSE r.attempts END,
    state = $8::text,
    next_attempt_at = CASE WHEN $8::text = 'pending' THEN COALESCE($9::timestamptz, r.next_attempt_at) END,
    exhausted_reason = $10::text,
    last_attempt_at = $2::timestamptz, last_answer = $11::text,
    resolved_at = CASE WHEN $8::text <> 'pending' THEN $2::timestamptz END
FROM attempt AS a
WHERE r.order_id = a.order_id AND r.reservation_id = a.reservation_id;
