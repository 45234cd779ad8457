-- Self-check: a message recorded for a customer who at the time of sending had unsubscribed, whose address had
-- bounced (e-mails), or who had not given consent. Unsubscribe and bounce carry times, so every message is
-- checked against them; consent is a flag without a time, so it is checked for the messages of the 24 hours
-- before $1 (the clock) only: a customer who withdraws consent later does not turn an old message into a
-- violation. Customers the order service has deleted are not checked. One row per message.
-- parameters: now
SELECT m.id AS message_id, m.customer_id, m.channel, m.created_at AS message_created_at, r.reason
FROM checkout_nightly.recovery_messages AS m
JOIN customers AS c ON c.id = m.customer_id
CROSS JOIN LATERAL (VALUES (CASE
    WHEN c.unsubscribed_at <= m.created_at THEN 'unsubscribed'
    WHEN m.channel = 'email' AND c.email_bounced_at <= m.created_at THEN 'bounced'
    WHEN c.marketing_opt_in IS NOT TRUE AND m.created_at > $1::timestamptz - interval '24 hours' THEN 'no_consent'
END)) AS r (reason)
WHERE r.reason IS NOT NULL
ORDER BY m.created_at, m.id;
