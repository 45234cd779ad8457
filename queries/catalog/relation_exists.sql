-- Whether a table or view exists ($1: its qualified name, such as checkout_nightly.recovery_messages).
SELECT to_regclass($1::text) IS NOT NULL AS present;
