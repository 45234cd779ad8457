-- Whether `migrate` has ever run here.
SELECT to_regclass('checkout_nightly.schema_migrations') IS NOT NULL AS present;
