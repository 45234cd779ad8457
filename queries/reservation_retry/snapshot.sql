-- The retry ledger's state for the metric file, one row per series: attempts ever made by outcome (counters),
-- pending errors by the number of the attempt they wait for, and exhausted errors by reason (gauges).
SELECT 'attempts' AS series, outcome AS label, count(*) AS value
FROM checkout_nightly.reservation_retry_attempts GROUP BY outcome
UNION ALL
SELECT 'pending', (attempts + 1)::text, count(*)
FROM checkout_nightly.reservation_retries WHERE state = 'pending' GROUP BY attempts
UNION ALL
SELECT 'exhausted', exhausted_reason, count(*)
FROM checkout_nightly.reservation_retries WHERE state = 'exhausted' GROUP BY exhausted_reason
ORDER BY 1, 2;
