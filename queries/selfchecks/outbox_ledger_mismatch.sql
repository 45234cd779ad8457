-- Self-check: an outbox row without its recovery-ledger row, or a ledger row without its outbox row (both are
-- written in one transaction). One row per orphan.
SELECT 'outbox row without ledger row' AS problem, o.message_id, o.created_at
FROM checkout_nightly.notification_outbox AS o
WHERE NOT EXISTS (SELECT 1 FROM checkout_nightly.recovery_messages AS m WHERE m.id = o.message_id)
UNION ALL
SELECT 'ledger row without outbox row', m.id, m.created_at
FROM checkout_nightly.recovery_messages AS m
WHERE NOT EXISTS (SELECT 1 FROM checkout_nightly.notification_outbox AS o WHERE o.message_id = m.id)
ORDER BY created_at, message_id;
