-- Replaces the personal fields of recovery messages $1 (uuid[]) not cleared yet with the marker '[erased]', at
-- $2 (the clock); used by `forget` and by retention. The link and unsubscribe token hashes become hashes of
-- nothing anyone holds, so the old links stop working. Stage, channel, locale, times, code and conversion stay:
-- the reports count by them.
UPDATE checkout_nightly.recovery_messages
SET recipient = '[erased]',
    subject = '[erased]',
    token_hash = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
    unsubscribe_token_hash = CASE WHEN unsubscribe_token_hash IS NOT NULL
                                  THEN encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex') END,
    personal_data_cleared_at = $2::timestamptz
WHERE id = ANY($1::uuid[]) AND personal_data_cleared_at IS NULL;
