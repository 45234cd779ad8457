-- Self-check: recovery messages recorded for a cart after it had an order (the send transaction re-checks the
-- order, so this stays empty while that rule holds). One row per message, with the cart's first order.
SELECT m.id AS message_id, m.cart_id, m.stage, m.created_at AS message_created_at,
       o.order_number, o.created_at AS order_created_at
FROM checkout_nightly.recovery_messages AS m
LEFT JOIN cart_sessions AS c ON c.id = m.cart_id
CROSS JOIN LATERAL (
    SELECT o.order_number, o.created_at FROM orders AS o
    WHERE (o.cart_session_id = m.cart_id OR o.id = c.order_id) AND o.created_at <= m.created_at
    ORDER BY o.created_at LIMIT 1) AS o
ORDER BY m.created_at, m.id;
