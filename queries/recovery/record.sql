-- Records the messages of a send batch in one statement (the second and last round trip of the send transaction,
-- with COMMIT): for each, the ledger row, its discount code (e-mail stages) and its outbox row. Returns the carts
-- whose message was recorded. A ledger row that another copy of the pass recorded first (one per cart and stage)
-- records nothing for that cart: no code, no outbox row. A code that already exists fails the statement
-- (discount_codes_code_unique), and the pass sends the batch's carts again one at a time with fresh codes.
-- Only the hashes of the link and unsubscribe tokens are stored.
-- Arrays, one element per message: $1 id, $2 cart, $3 customer, $4 stage, $5 channel, $6 recipient, $7 locale,
-- $8 subject, $9 code, $10 token, $11 unsubscribe token, $12 cart activity, $13 created, $14 expires, $15 percent,
-- $16 html, $17 text, $18 headers. $19: the run.
WITH input AS (
    SELECT *
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[],
                $15::int[], $16::text[], $17::text[], $18::jsonb[])
        AS i(id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token, unsubscribe_token,
             cart_activity_at, created_at, expires_at, percent, html, text, headers)
), message AS (
    INSERT INTO checkout_nightly.recovery_messages
        (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
         unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id)
    SELECT i.id, i.cart_id, i.customer_id, i.stage, i.channel, i.recipient, i.locale, i.subject, i.code,
           encode(sha256(convert_to(i.token, 'UTF8')), 'hex'),
           encode(sha256(convert_to(i.unsubscribe_token, 'UTF8')), 'hex'),
           i.cart_activity_at, i.created_at, i.expires_at, $19::uuid
    FROM input AS i
    ON CONFLICT ON CONSTRAINT recovery_messages_one_per_cart_stage DO NOTHING
    RETURNING id
), code AS (
    INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
    SELECT i.code, i.percent, i.customer_id, i.cart_id, i.created_at, i.expires_at
    FROM message JOIN input AS i USING (id)
    WHERE i.code IS NOT NULL
), outbox AS (
    INSERT INTO checkout_nightly.notification_outbox (message_id, channel, recipient, subject, html, text, headers, created_at)
    SELECT i.id, i.channel, i.recipient, i.subject, i.html, i.text, i.headers, i.created_at
    FROM message JOIN input AS i USING (id)
)
SELECT i.cart_id
FROM message JOIN input AS i USING (id);
