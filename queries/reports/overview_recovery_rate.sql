-- The plan's cart recovery rate: distinct carts sent a recovery message in the report window
-- [now - window_days, now] → those of them that converted (an order attributed to the message, converted_at set
-- by the recovery pass). Target: above 10 %. The window includes its end: the recovery pass stamps its messages
-- with the run's clock, so the same night's messages count on the same night's pages.
-- parameters: now, window_days
SELECT count(DISTINCT m.cart_id) FILTER (WHERE m.converted_at IS NOT NULL)::bigint AS numerator,
       count(DISTINCT m.cart_id)::bigint AS denominator
FROM checkout_nightly.recovery_messages AS m
WHERE m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at <= $1::timestamptz;
