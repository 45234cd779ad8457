-- The 10 products with the most well-formed confirmation errors on orders placed in the report window
-- (plan task 1.5.2, panel 3), with the SKUs and warehouses involved.
-- parameters: now, window_days
SELECT product_id, count(*)::bigint AS errors, count(DISTINCT order_id)::bigint AS orders,
       string_agg(DISTINCT sku, ', ' ORDER BY sku) AS skus,
       string_agg(DISTINCT warehouse_id, ', ' ORDER BY warehouse_id) AS warehouses
FROM checkout_nightly.reservation_confirmation_errors
WHERE created_at >= $1::timestamptz - make_interval(days => $2::integer) AND created_at <= $1::timestamptz
GROUP BY product_id
ORDER BY errors DESC, product_id
LIMIT 10;
