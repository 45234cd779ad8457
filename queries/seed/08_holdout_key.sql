-- The recovery holdout's key, derived from the seed instead of the random one migration 0008 drew: the same seed
-- holds out the same customers, so the demo and the tests that compare two seeded databases are repeatable.
-- Only seed does this, and seed fills empty (demo) databases only; a real shop keeps its random key.
UPDATE checkout_nightly.recovery_holdout_key
SET key = sha256(convert_to('checkout-nightly demo holdout key ' || s.seed, 'UTF8'))
FROM seed_settings AS s;
