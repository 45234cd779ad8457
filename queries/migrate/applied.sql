-- Every applied migration, with its checksum and whether it still matches the file's text ($1: version, $2: text)
-- or one of the earlier texts the file was rewritten from ($3: their checksums).
SELECT version, filename, checksum,
       checksum = encode(sha256(convert_to($2::text, 'UTF8')), 'hex') OR checksum = ANY ($3::text[]) AS matches
FROM checkout_nightly.schema_migrations
WHERE version = $1::int;
