-- The plan's success metric "no manual reconciliation needed": errors the retry pass took in over the report
-- window, plus older ones still waiting for a person → those it gave up on that still wait for a person
-- (exhausted, whenever enrolled). Target: 0.
-- parameters: now, window_days
SELECT count(*) FILTER (WHERE state = 'exhausted')::bigint AS numerator, count(*)::bigint AS denominator
FROM checkout_nightly.reservation_retries
WHERE (enrolled_at > $1::timestamptz - make_interval(days => $2::integer) AND enrolled_at <= $1::timestamptz)
   OR state = 'exhausted';
