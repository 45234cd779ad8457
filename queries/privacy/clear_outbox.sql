-- Replaces recipient, subject, bodies and headers of the outbox rows of messages $1 (uuid[]) not cleared yet
-- with the marker '[erased]' (headers with an empty object), at $2 (the clock); used by `forget` and by
-- retention. Channel and the created, dispatched and cancelled times stay.
UPDATE checkout_nightly.notification_outbox
SET recipient = '[erased]',
    subject = '[erased]',
    html = CASE WHEN html IS NOT NULL THEN '[erased]' END,
    text = '[erased]',
    headers = '{}',
    content_cleared_at = $2::timestamptz
WHERE message_id = ANY($1::uuid[]) AND content_cleared_at IS NULL;
