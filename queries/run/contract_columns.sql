-- The columns the order service's contract tables have in the current schema ($1: table names).
SELECT table_name::text AS table_name, column_name::text AS column_name
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = ANY ($1::text[]);
