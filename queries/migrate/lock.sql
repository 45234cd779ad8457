-- Serialises concurrent `migrate` commands for the whole transaction.
SELECT pg_advisory_xact_lock(hashtext('checkout_nightly.migrate'));
