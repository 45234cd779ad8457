-- Releases the advisory lock taken by try_pass_lock.sql ($1: pass name).
SELECT pg_advisory_unlock(hashtext('checkout_nightly.pass'), hashtext($1::text)) AS released;
