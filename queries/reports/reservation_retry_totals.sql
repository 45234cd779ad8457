-- The retry pass at a glance (plan task 2.6): errors it took in over the last 24 h and 30 days before the run's
-- clock, how many of those it confirmed, and how many errors wait for their next attempt or for a person now.
-- parameters: now
SELECT count(*) FILTER (WHERE enrolled_at > $1::timestamptz - interval '24 hours') AS errors_24h,
       count(*) FILTER (WHERE enrolled_at > $1::timestamptz - interval '30 days') AS errors_30d,
       count(*) FILTER (WHERE state = 'confirmed' AND enrolled_at > $1::timestamptz - interval '24 hours') AS confirmed_24h,
       count(*) FILTER (WHERE state = 'confirmed' AND enrolled_at > $1::timestamptz - interval '30 days') AS confirmed_30d,
       count(*) FILTER (WHERE state = 'pending') AS pending,
       count(*) FILTER (WHERE state = 'exhausted') AS exhausted
FROM checkout_nightly.reservation_retries
WHERE enrolled_at <= $1::timestamptz OR state IN ('pending', 'exhausted');
