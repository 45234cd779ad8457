-- The carts cart recovery considers (the view checkout_nightly.recovery_carts, queries/schema/0009: active, with
-- items, without an order), not expired and idle at least as long as the first stage's delay: $1 the run's clock,
-- $2 that delay in seconds. Streamed once a run; oldest activity first, so a capped run serves the
-- longest-waiting. Inside each send transaction, queries/recovery/reread.sql reads one of them again.
SELECT c.*
FROM checkout_nightly.recovery_carts AS c
WHERE c.expires_at > $1::timestamptz
  AND c.updated_at <= $1::timestamptz - make_interval(secs => $2::double precision)
ORDER BY c.updated_at, c.id;
