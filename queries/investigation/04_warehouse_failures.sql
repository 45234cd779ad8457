-- Investigation 4: confirmation errors per warehouse and hour over the last 24 hours. A warehouse whose errors
-- keep coming hour after hour (or whose reasons are warehouse_timeout / warehouse_unavailable) is the signal
-- to contact the warehouse team (docs/runbook.md, step 4). Run:
--   psql -f queries/investigation/04_warehouse_failures.sql
SELECT warehouse_id, date_trunc('hour', created_at) AS hour, reason, count(*) AS errors
FROM checkout_nightly.reservation_confirmation_errors
WHERE created_at >= now() - interval '24 hours'
GROUP BY warehouse_id, hour, reason
ORDER BY warehouse_id, hour, errors DESC;
