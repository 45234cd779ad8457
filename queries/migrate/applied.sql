-- Every applied migration, with its checksum and whether it still matches the file's text ($1: version, $2: text).
SELECT version, filename, checksum,
       checksum = encode(sha256(convert_to($2::text, 'UTF8')), 'hex') AS matches
FROM checkout_nightly.schema_migrations
WHERE version = $1::int;
