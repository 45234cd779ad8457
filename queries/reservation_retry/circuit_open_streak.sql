-- How many of the pass's latest finished runs in a row opened the circuit breaker (0 when the latest did not),
-- from the run ledger, so the alert on consecutive runs survives the loss of the machine. Only runs that counted
-- circuit_open take part: a run that failed or was skipped (lock_busy) neither breaks nor extends the streak. The
-- running run adds itself in the pass.
WITH runs AS (
    SELECT counts ->> 'circuit_open' = '1' AS opened,
           row_number() OVER (ORDER BY started_at DESC, id DESC) AS position
    FROM checkout_nightly.step_runs
    WHERE step = 'reservation-retry' AND outcome <> 'running' AND counts ? 'circuit_open'
)
SELECT count(*) AS streak
FROM runs
WHERE position < COALESCE((SELECT min(position) FROM runs WHERE NOT opened), 2147483647);
