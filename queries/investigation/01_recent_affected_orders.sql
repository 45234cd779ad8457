-- Investigation 1: orders placed in the last 7 days that recorded reservation confirmation errors (any shape),
-- newest first, with the raw errors (plan task 1.5.4). Run:
--   psql -f queries/investigation/01_recent_affected_orders.sql
SELECT o.order_number, o.status, o.total_amount, o.currency, o.created_at, v.errors_type, v.errors
FROM checkout_nightly.orders_with_reservation_errors AS v
JOIN orders AS o ON o.id = v.id
WHERE v.created_at >= now() - interval '7 days'
ORDER BY v.created_at DESC
LIMIT 100;
