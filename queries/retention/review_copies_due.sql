-- Of the messages $1 (uuid[]) whose rendered files are in a release, those recorded more than $3 seconds before
-- $2 (the clock): their review copies have outlived `retention_releases`, wherever they were carried over to.
SELECT id FROM checkout_nightly.recovery_messages
WHERE id = ANY($1::uuid[]) AND created_at < $2::timestamptz - make_interval(secs => $3::double precision);
