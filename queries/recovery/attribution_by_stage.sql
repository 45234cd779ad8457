-- Per message stage, over the whole ledger: messages recorded, clicked (the storefront sets clicked_at) and
-- converted (attribute.sql). All time, unlike the cart analytics page's report window
-- (queries/reports/analytics_recovery_by_stage.sql): these feed the recovery metric file, whose message totals
-- are counters and may never go down, which a window would make them do.
SELECT stage, count(*)::bigint AS sent, count(clicked_at)::bigint AS clicked, count(converted_order_id)::bigint AS converted
FROM checkout_nightly.recovery_messages
GROUP BY stage
ORDER BY stage;
