-- Per message stage: messages recorded, clicked (the storefront sets clicked_at) and converted (attribute.sql).
SELECT stage, count(*)::bigint AS sent, count(clicked_at)::bigint AS clicked, count(converted_order_id)::bigint AS converted
FROM checkout_nightly.recovery_messages
GROUP BY stage
ORDER BY stage;
