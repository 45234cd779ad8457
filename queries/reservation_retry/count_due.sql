-- Pending errors due now and not in flight: what the run leaves for the next one when its circuit opens.
-- parameters: now
SELECT count(*) AS due
FROM checkout_nightly.reservation_retries
WHERE state = 'pending' AND in_flight_attempt IS NULL AND next_attempt_at <= $1::timestamptz;
