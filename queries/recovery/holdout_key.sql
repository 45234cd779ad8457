-- The key of the recovery holdout's HMAC (created by migration 0008), base64. Read by the pass and `explain`.
SELECT encode(key, 'base64') AS key FROM checkout_nightly.recovery_holdout_key;
