-- How many of the pass's latest finished runs in a row opened the circuit breaker (0 when the latest did not),
-- from the run ledger, so the alert on consecutive runs survives the loss of the machine. The running run adds
-- itself in the pass.
WITH runs AS (
    SELECT COALESCE(counts ->> 'circuit_open', '0') = '1' AS opened,
           row_number() OVER (ORDER BY started_at DESC, id DESC) AS position
    FROM checkout_nightly.step_runs
    WHERE step = 'reservation-retry' AND outcome <> 'running'
)
SELECT count(*) AS streak
FROM runs
WHERE position < COALESCE((SELECT min(position) FROM runs WHERE NOT opened), 2147483647);
