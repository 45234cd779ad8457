-- Errors waiting for their next attempt, by the number of that attempt, with the earliest and latest time one
-- falls due.
SELECT attempts + 1 AS attempt, count(*) AS errors, min(next_attempt_at) AS first_due, max(next_attempt_at) AS last_due
FROM checkout_nightly.reservation_retries
WHERE state = 'pending'
GROUP BY attempts
ORDER BY attempts;
