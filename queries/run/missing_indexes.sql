-- Which of the indexes the batch wants ($1: their names, in the order of queries/indexes/order_service_indexes.sql)
-- the database lacks, or holds only as INVALID (left by a CREATE INDEX CONCURRENTLY that failed).
SELECT t.name
FROM unnest($1::text[]) WITH ORDINALITY AS t (name, position)
WHERE NOT EXISTS (
    SELECT 1 FROM pg_index AS i WHERE i.indexrelid = to_regclass(quote_ident(t.name)) AND i.indisvalid
)
ORDER BY t.position;
