-- Self-check: a recovery code used by more than one order, or by an order of another customer than the one it
-- was issued to (orders.discount_code). One row per code.
SELECT d.code, d.customer_id AS issued_to_customer_id, count(*) AS orders,
       count(*) FILTER (WHERE o.customer_id IS DISTINCT FROM d.customer_id) AS orders_by_other_customers,
       string_agg(o.order_number, ' ' ORDER BY o.created_at, o.order_number) AS order_numbers
FROM checkout_nightly.discount_codes AS d
JOIN orders AS o ON o.discount_code = d.code
GROUP BY d.id, d.code, d.customer_id
HAVING count(*) > 1 OR count(*) FILTER (WHERE o.customer_id IS DISTINCT FROM d.customer_id) > 0
ORDER BY d.code;
