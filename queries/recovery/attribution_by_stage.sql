-- Per message stage, over the whole ledger: messages recorded, clicked (the storefront sets clicked_at) and
-- converted (attribute.sql), and the held-out rows (recovery_holdouts) and how many of them converted. All time,
-- unlike the cart analytics page's report window (queries/reports/analytics_recovery_by_stage.sql): these feed the
-- recovery metric file, whose message and held-out totals are counters and may never go down, which a window
-- would make them do.
SELECT stage, sum(sent)::bigint AS sent, sum(clicked)::bigint AS clicked, sum(converted)::bigint AS converted,
       sum(held_out)::bigint AS held_out, sum(held_out_converted)::bigint AS held_out_converted
FROM (
    SELECT stage, count(*) AS sent, count(clicked_at) AS clicked, count(converted_order_id) AS converted,
           0 AS held_out, 0 AS held_out_converted
    FROM checkout_nightly.recovery_messages
    GROUP BY stage
    UNION ALL
    SELECT stage, 0, 0, 0, count(*), count(converted_order_id)
    FROM checkout_nightly.recovery_holdouts
    GROUP BY stage
) AS totals
GROUP BY stage
ORDER BY stage;
