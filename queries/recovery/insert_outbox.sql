-- Hands one message to the notification service ($1 message id, $2 channel, $3 recipient, $4 subject or push
-- title, $5 HTML or NULL for push, $6 text part or push body, $7 headers, $8 created).
INSERT INTO checkout_nightly.notification_outbox (message_id, channel, recipient, subject, html, text, headers, created_at)
VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::jsonb, $8::timestamptz)
ON CONFLICT ON CONSTRAINT notification_outbox_one_per_message DO NOTHING;
