-- The carts cart recovery considers (the view checkout_nightly.recovery_carts_bulk, queries/schema/0012: active,
-- with items, without an order), not expired and idle at least as long as the first stage's delay: $1 the run's
-- clock, $2 that delay in seconds, $3 whether quiet hours are on. Streamed once a run, inside a read-only
-- transaction that first runs candidates_settings.sql; oldest activity first, so a capped run serves the
-- longest-waiting. Inside each send transaction, queries/recovery/reread.sql reads the batch's carts again, through
-- the by-key view recovery_carts. Only quiet hours need the customer's time zone before that re-read (which always
-- reads it, for the e-mail), and reading it (to_jsonb of the customer row, as the column is optional) is a fifth of
-- this read: without quiet hours, time_zone is NULL here.
SELECT c.id, c.version, c.currency, c.updated_at, c.expires_at, c.pieces, c.value,
       c.customer_id, c.email, c.first_name, c.locale, c.marketing_opt_in, c.unsubscribed, c.bounced, c.push_enabled,
       CASE WHEN $3::boolean THEN c.time_zone END AS time_zone,
       c.sent_stages, c.last_message_at, c.ordered_since
FROM checkout_nightly.recovery_carts_bulk AS c
WHERE c.expires_at > $1::timestamptz
  AND c.updated_at <= $1::timestamptz - make_interval(secs => $2::double precision)
ORDER BY c.updated_at, c.id;
