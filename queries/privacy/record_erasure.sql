-- Records one `forget` in the audit table: $1 the clock, $2 the OS user, $3 how the customer was identified
-- ('customer_id' or 'email'), then the rows changed: $4 messages cleared, $5 outbox rows cancelled, $6 outbox
-- rows cleared, $7 codes revoked. Never the customer's id, address or name.
INSERT INTO checkout_nightly.erasures
    (erased_at, os_user, identified_by, messages_cleared, outbox_cancelled, outbox_cleared, codes_revoked)
VALUES ($1::timestamptz, $2::text, $3::text, $4::int, $5::int, $6::int, $7::int)
RETURNING id;
