-- Records one recovery message in the ledger ($1 id, $2 cart, $3 customer, $4 stage, $5 channel, $6 recipient,
-- $7 locale, $8 subject, $9 code or NULL, $10 link token, $11 unsubscribe token or NULL for push, $12 the cart's last activity,
-- $13 created, $14 expires, $15 run id). Only SHA-256 hashes of the tokens are stored. No row comes back when
-- the stage was already recorded for the cart (the unique constraint decides): the message is then not sent.
INSERT INTO checkout_nightly.recovery_messages
    (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash, unsubscribe_token_hash,
     cart_activity_at, created_at, expires_at, run_id)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
        encode(sha256(convert_to($10::text, 'UTF8')), 'hex'), encode(sha256(convert_to($11::text, 'UTF8')), 'hex'),
        $12::timestamptz, $13::timestamptz, $14::timestamptz, $15::uuid)
ON CONFLICT ON CONSTRAINT recovery_messages_one_per_cart_stage DO NOTHING
RETURNING id;
