-- Records one recovery message in one statement (the second and last round trip of a send, with COMMIT): the
-- ledger row, its discount code (e-mail stages) and its outbox row. A ledger row that another copy of the pass
-- recorded first (one per cart and stage) makes the statement record nothing: no code, no outbox row. A code that
-- already exists fails the statement (discount_codes_code_unique): the pass draws another and sends again.
-- Only the hashes of the link and unsubscribe tokens are stored.
-- $1 id, $2 cart, $3 customer, $4 stage, $5 channel, $6 recipient, $7 locale, $8 subject, $9 code, $10 token,
-- $11 unsubscribe token, $12 cart activity, $13 created, $14 expires, $15 run, $16 percent, $17 html, $18 text,
-- $19 headers
WITH message AS (
    INSERT INTO checkout_nightly.recovery_messages
        (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
         unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
            encode(sha256(convert_to($10::text, 'UTF8')), 'hex'), encode(sha256(convert_to($11::text, 'UTF8')), 'hex'),
            $12::timestamptz, $13::timestamptz, $14::timestamptz, $15::uuid)
    ON CONFLICT ON CONSTRAINT recovery_messages_one_per_cart_stage DO NOTHING
    RETURNING id
), code AS (
    INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
    SELECT $9::text, $16::int, $3::uuid, $2::uuid, $13::timestamptz, $14::timestamptz
    FROM message
    WHERE $9::text IS NOT NULL
    RETURNING code
), outbox AS (
    INSERT INTO checkout_nightly.notification_outbox (message_id, channel, recipient, subject, html, text, headers, created_at)
    SELECT message.id, $5::text, $6::text, $8::text, $17::text, $18::text, $19::jsonb, $13::timestamptz
    FROM message
    RETURNING message_id
)
SELECT (SELECT count(*) FROM message) AS messages, (SELECT count(*) FROM code) AS codes,
       (SELECT count(*) FROM outbox) AS outbox_rows;
