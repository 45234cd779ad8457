-- Takes the session-level advisory lock of one pass ($1: pass name) without waiting: true when taken.
-- Passes have a lock each, so a recovery run every 15 minutes never blocks the nightly cleanup.
SELECT pg_try_advisory_lock(hashtext('checkout_nightly.pass'), hashtext($1::text)) AS locked;
