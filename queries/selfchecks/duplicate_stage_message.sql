-- Self-check: more than one message for the same cart and stage (the unique constraint
-- recovery_messages_one_per_cart_stage guards it; this proves it is still there). One row per cart and stage.
SELECT cart_id, stage, count(*) AS messages, min(created_at) AS first_created_at, max(created_at) AS last_created_at
FROM checkout_nightly.recovery_messages
GROUP BY cart_id, stage
HAVING count(*) > 1
ORDER BY first_created_at, cart_id, stage;
