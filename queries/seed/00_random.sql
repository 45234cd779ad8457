-- A deterministic "random" number in [0, 1) for (seed, salt, row): the same seed gives the same data whatever
-- order rows are produced in. A session-local (pg_temp) function: seeding leaves no object behind.
CREATE FUNCTION pg_temp.seed_unit(seed bigint, salt integer, n bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(n, seed * 1009 + salt) & 9007199254740991)::double precision / 9007199254740992 $$;
