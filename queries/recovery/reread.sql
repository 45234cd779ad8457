-- One cart of candidates.sql again ($3), inside its send transaction after claim.sql locked it: no row when it
-- is no longer a candidate at $1 (the run's clock) with $2 (the first stage's delay in seconds). Prepared once
-- per connection: the plan PostgreSQL keeps looks the cart up by its key, so no message pays for planning.
SELECT c.*
FROM checkout_nightly.recovery_carts AS c
WHERE c.id = $3::uuid
  AND c.expires_at > $1::timestamptz
  AND c.updated_at <= $1::timestamptz - make_interval(secs => $2::double precision);
