-- Investigation 5: orders whose reservation error metadata does not have the documented shape (a string, an
-- object instead of an array, an element that is not an object, an object without reason, product_id or
-- warehouse_id). Their errors cannot be read by the dashboards; reconcile them by hand with query 2. Run:
--   psql -f queries/investigation/05_malformed_metadata.sql
SELECT order_number, created_at, position, problem, raw_value
FROM checkout_nightly.reservation_metadata_problems
ORDER BY created_at DESC, order_number, position NULLS FIRST
LIMIT 200;
