-- Orders whose reservation error metadata does not have the documented shape, newest first, one row per
-- problem (all time up to the run's clock): they need a person, since no report can read their errors.
-- parameters: now
SELECT p.order_id::text AS order_id, p.order_number, p.created_at, p.position, p.problem,
       left(p.raw_value, 200) AS raw_value
FROM checkout_nightly.reservation_metadata_problems AS p
WHERE p.created_at <= $1::timestamptz
ORDER BY p.created_at DESC, p.order_number, p.position NULLS FIRST;
