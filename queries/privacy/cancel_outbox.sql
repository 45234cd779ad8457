-- Cancels the notifications of messages $1 (uuid[]) that were neither dispatched nor cancelled yet, at $2 (the
-- clock). The notification service reads only rows with dispatched_at and cancelled_at both NULL.
UPDATE checkout_nightly.notification_outbox
SET cancelled_at = $2::timestamptz
WHERE message_id = ANY($1::uuid[]) AND dispatched_at IS NULL AND cancelled_at IS NULL;
