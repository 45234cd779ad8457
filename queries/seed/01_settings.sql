-- The seed's inputs, read by every later seed statement.
-- parameters: carts, now, seed
CREATE TEMP TABLE seed_settings AS
SELECT $1::bigint AS carts, $2::timestamptz AS now, $3::bigint AS seed, greatest(10, $1::bigint / 3) AS customers;
