-- How fresh the order service's data is: the newest cart activity and the newest order at the run's clock.
-- parameters: now
SELECT (SELECT max(updated_at) FROM cart_sessions WHERE updated_at <= $1::timestamptz) AS newest_cart_activity,
       (SELECT max(created_at) FROM orders WHERE created_at <= $1::timestamptz) AS newest_order,
       (SELECT count(*) FROM cart_sessions)::bigint AS carts,
       (SELECT count(*) FROM orders)::bigint AS orders;
