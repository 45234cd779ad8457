-- Records one applied migration ($1: version, $2: file name, $3: its text).
INSERT INTO checkout_nightly.schema_migrations (version, filename, checksum)
VALUES ($1::int, $2::text, encode(sha256(convert_to($3::text, 'UTF8')), 'hex'));
