-- Cart recovery by stage for messages sent in the report window: sent, clicked (the storefront set clicked_at)
-- and converted (the recovery pass set converted_at). Reads the recovery ledger, so it runs only where that
-- exists. Columns read: stage, created_at, clicked_at, converted_at.
-- parameters: now, window_days
-- requires: checkout_nightly.recovery_messages
SELECT m.stage,
       count(*)::bigint AS sent,
       count(m.clicked_at)::bigint AS clicked,
       count(m.converted_at)::bigint AS converted
FROM checkout_nightly.recovery_messages AS m
WHERE m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at < $1::timestamptz
GROUP BY m.stage
ORDER BY m.stage;
