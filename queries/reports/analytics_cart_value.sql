-- Average cart value per currency (never summed across currencies) for carts created in the report window
-- that still hold items: the sum of quantity × unit_price of each cart's items.
-- parameters: now, window_days
SELECT c.currency, count(*)::bigint AS carts, round(avg(v.value), 2) AS average_value,
       sum(v.value) AS total_value
FROM cart_sessions AS c
JOIN (SELECT cart_session_id, sum(quantity * unit_price) AS value FROM cart_items GROUP BY cart_session_id) AS v
  ON v.cart_session_id = c.id
WHERE c.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND c.created_at < $1::timestamptz
GROUP BY c.currency
ORDER BY c.currency;
