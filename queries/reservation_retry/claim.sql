-- Claims the next due error for one call: marks it in flight for this database session and records the attempt
-- as in_flight, in one committed statement before the call is made. SKIP LOCKED and the in-flight marker keep
-- another copy from claiming the same error. An error is called at most once per run (one whose confirmation could
-- not be recorded, its order row locked, waits for the next run). Returns nothing when no error is due.
-- parameters: now, run_id
WITH next AS (
    SELECT r.order_id, r.reservation_id
    FROM checkout_nightly.reservation_retries AS r
    WHERE r.state = 'pending' AND r.in_flight_attempt IS NULL AND r.next_attempt_at <= $1::timestamptz
      AND NOT EXISTS (
          SELECT 1 FROM checkout_nightly.reservation_retry_attempts AS t
          WHERE t.order_id = r.order_id AND t.reservation_id = r.reservation_id AND t.run_id = $2::uuid)
    ORDER BY r.next_attempt_at, r.order_id, r.reservation_id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE checkout_nightly.reservation_retries AS r
    SET in_flight_attempt = r.attempts + 1, claimed_by_pid = pg_backend_pid(),
        claimed_by_backend_start = (SELECT a.backend_start FROM pg_stat_activity AS a WHERE a.pid = pg_backend_pid())
    FROM next
    WHERE r.order_id = next.order_id AND r.reservation_id = next.reservation_id
    RETURNING r.*
), attempt AS (
    INSERT INTO checkout_nightly.reservation_retry_attempts (order_id, reservation_id, attempt, run_id, started_at)
    SELECT c.order_id, c.reservation_id, c.in_flight_attempt, $2::uuid, $1::timestamptz FROM claimed AS c
    RETURNING id
)
SELECT a.id AS attempt_id, c.order_id, c.reservation_id, c.in_flight_attempt AS attempt, c.idempotency_key,
       c.order_number, c.sku, c.warehouse_id
FROM claimed AS c CROSS JOIN attempt AS a;
