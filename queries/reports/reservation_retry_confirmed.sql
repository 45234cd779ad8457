-- Errors the retry pass confirmed, by the attempt that confirmed them, among the errors it took in over the last
-- 24 h and 30 days before the run's clock (the shares divide by reservation_retry_totals' errors_24h / errors_30d).
-- parameters: now
SELECT attempts AS attempt,
       count(*) FILTER (WHERE enrolled_at > $1::timestamptz - interval '24 hours') AS confirmed_24h,
       count(*) AS confirmed_30d
FROM checkout_nightly.reservation_retries
WHERE state = 'confirmed' AND enrolled_at > $1::timestamptz - interval '30 days' AND enrolled_at <= $1::timestamptz
GROUP BY attempts
ORDER BY attempts;
