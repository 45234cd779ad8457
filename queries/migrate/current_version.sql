-- The highest applied migration version (0 when the table is empty). Run only once the table exists.
SELECT COALESCE(max(version), 0) AS version FROM checkout_nightly.schema_migrations;
