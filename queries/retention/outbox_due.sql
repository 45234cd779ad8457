-- Up to $3 outbox rows whose content retention has run out: dispatched before $1 (the clock) minus $2 seconds,
-- content not cleared yet. Locked and skipped when another copy holds them; the caller clears them
-- (privacy/clear_outbox.sql) in the same transaction.
SELECT message_id FROM checkout_nightly.notification_outbox
WHERE content_cleared_at IS NULL AND dispatched_at < $1::timestamptz - make_interval(secs => $2::double precision)
ORDER BY dispatched_at
LIMIT $3::int
FOR UPDATE SKIP LOCKED;
