-- Investigation 3: recent confirmation errors for one product, by warehouse and reason, to tell a product
-- problem (every warehouse fails) from a warehouse problem (one warehouse fails). Run:
--   psql -v product_id=prod-mug -f queries/investigation/03_product_failures.sql
SELECT warehouse_id, reason, count(*) AS errors, count(DISTINCT order_id) AS orders,
       min(created_at) AS first_seen, max(created_at) AS last_seen
FROM checkout_nightly.reservation_confirmation_errors
WHERE product_id = :'product_id' AND created_at >= now() - interval '7 days'
GROUP BY warehouse_id, reason
ORDER BY errors DESC;
