-- The carts cart recovery considers (the view checkout_nightly.recovery_carts_bulk, queries/schema/0012: active,
-- with items, without an order), not expired and idle at least as long as the first stage's delay: $1 the run's
-- clock, $2 that delay in seconds. Streamed once a run, inside a read-only transaction that first runs
-- candidates_settings.sql; oldest activity first, so a capped run serves the longest-waiting. Inside each send
-- transaction, queries/recovery/reread.sql reads the batch's carts again, through the by-key view recovery_carts.
SELECT c.*
FROM checkout_nightly.recovery_carts_bulk AS c
WHERE c.expires_at > $1::timestamptz
  AND c.updated_at <= $1::timestamptz - make_interval(secs => $2::double precision)
ORDER BY c.updated_at, c.id;
