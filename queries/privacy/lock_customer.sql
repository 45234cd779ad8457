-- Serialises `forget` with the recovery pass's sends to customer $1 for the rest of the transaction: the same
-- advisory lock key as queries/recovery/claim.sql, so a send either committed before (and is cleared here) or
-- waits until the erasure has committed. lock_timeout bounds the wait.
SELECT pg_advisory_xact_lock(hashtext('checkout_nightly.recovery_customer'), hashtext($1::text));
