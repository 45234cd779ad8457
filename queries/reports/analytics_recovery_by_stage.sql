-- Cart recovery by stage for messages sent in the report window: sent, clicked (the storefront set clicked_at)
-- and converted (the recovery pass set converted_at). Columns read: stage, created_at, clicked_at, converted_at.
-- The window, like every figure of the site; the recovery metric file counts the whole ledger instead
-- (queries/recovery/attribution_by_stage.sql), since its message totals are counters.
-- The window includes its end: the recovery pass stamps its messages with the run's clock (created_at = now), so
-- the same night's messages count on the same night's pages.
-- parameters: now, window_days
SELECT m.stage,
       count(*)::bigint AS sent,
       count(m.clicked_at)::bigint AS clicked,
       count(m.converted_at)::bigint AS converted
FROM checkout_nightly.recovery_messages AS m
WHERE m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at <= $1::timestamptz
GROUP BY m.stage
ORDER BY m.stage;
