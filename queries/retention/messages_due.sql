-- Up to $3 recovery messages whose personal-data retention has run out: created before $1 (the clock) minus $2
-- seconds, not cleared yet. Locked and skipped when another copy holds them; the caller clears them
-- (privacy/clear_messages.sql, privacy/clear_outbox.sql) in the same transaction.
SELECT id FROM checkout_nightly.recovery_messages
WHERE personal_data_cleared_at IS NULL AND created_at < $1::timestamptz - make_interval(secs => $2::double precision)
ORDER BY created_at
LIMIT $3::int
FOR UPDATE SKIP LOCKED;
