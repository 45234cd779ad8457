-- Errors the retry pass gave up on and that still wait for a person (their entry is still in the order's
-- metadata), newest first: the order, its customer (masked on the page), the reason, the last answer, attempts.
SELECT r.order_id::text AS order_id, r.order_number, cu.email AS customer_email, r.reservation_id, r.sku,
       r.warehouse_id, r.exhausted_reason AS reason, r.last_answer, r.attempts, r.resolved_at AS exhausted_at
FROM checkout_nightly.reservation_retries AS r
LEFT JOIN orders AS o ON o.id = r.order_id
LEFT JOIN customers AS cu ON cu.id = o.customer_id
WHERE r.state = 'exhausted'
ORDER BY r.resolved_at DESC, r.order_number, r.reservation_id;
