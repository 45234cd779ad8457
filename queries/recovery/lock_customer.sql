-- Serialises sends to one customer for the rest of the send transaction ($1 customer id): concurrent copies
-- queue here, so each sees the other's committed message when it checks the per-customer cap. An advisory lock,
-- not a row lock: the batch needs no write privilege on the order service's customers table
-- (deploy/postgres/roles.sql). lock_timeout bounds the wait.
SELECT pg_advisory_xact_lock(hashtext('checkout_nightly.recovery_customer'), hashtext($1::text));
