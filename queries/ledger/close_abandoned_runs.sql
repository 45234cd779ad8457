-- Closes runs still marked "running" whose database session has ended: their process was killed or crashed
-- ($1 the closing run's clock), and the steps they had started and not finished (start_step.sql), so the step
-- counts and the metrics count them as failed runs. A run whose session is alive (another copy running now) is
-- left alone. Returns the runs it closed.
WITH closed AS (
    UPDATE checkout_nightly.runs AS r
    SET outcome = 'failed', finished_at = $1::timestamptz,
        error = 'the process ended before the run finished (killed or crashed); closed by a later run'
    WHERE r.outcome = 'running'
      AND NOT EXISTS (
          SELECT 1 FROM pg_stat_activity AS a WHERE a.pid = r.backend_pid AND a.backend_start = r.backend_start)
    RETURNING r.run_id, r.started_at, r.host
), steps AS (
    UPDATE checkout_nightly.step_runs AS s
    SET outcome = 'failed', finished_at = $1::timestamptz,
        error = 'the process ended during this step (killed, crashed or cut off from the database); what it had committed is not counted'
    FROM closed
    WHERE s.run_id = closed.run_id AND s.outcome = 'running'
)
SELECT run_id, started_at, host FROM closed;
