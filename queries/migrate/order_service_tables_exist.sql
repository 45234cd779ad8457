-- Whether every one of the order service's tables ($1: their names) exists in the search path, whatever the
-- current role may do with them (to_regclass needs no privilege on the table).
SELECT count(*) = cardinality($1::text[]) AS present
FROM unnest($1::text[]) AS t (name)
WHERE to_regclass(quote_ident(t.name)) IS NOT NULL;
