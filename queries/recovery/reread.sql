-- The carts of a send batch ($3) as candidates.sql reads them, again, inside their send transaction after
-- claim.sql locked them: a cart missing is no longer a candidate at $1 (the run's clock) with $2 (the first stage's
-- delay in seconds). Prepared once per connection: the plan PostgreSQL keeps looks each cart up by its key, so no
-- batch pays for planning.
SELECT c.*
FROM checkout_nightly.recovery_carts AS c
WHERE c.id = ANY($3::uuid[])
  AND c.expires_at > $1::timestamptz
  AND c.updated_at <= $1::timestamptz - make_interval(secs => $2::double precision);
