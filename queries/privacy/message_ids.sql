-- Every recovery message to the customers $1 (uuid[]), cleared or not: their files may still be in a release.
SELECT id FROM checkout_nightly.recovery_messages WHERE customer_id = ANY($1::uuid[]) ORDER BY id;
