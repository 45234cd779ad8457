-- The demo's customers coming back (scripts/demo.sh, between its two nights; never part of `run`): a share of the
-- carts the first night messaged or held out is ordered within 61 hours of it, from the cart, with the message's
-- code where it had one. Messaged carts come back more often (30 %) than held-out ones (15 %): the demo's
-- simulated effect of the messages, which the cart analytics page then measures as the lift. Deterministic: each
-- cart's chances come from an md5 of its id. The cart is completed with its order, as the storefront would.
WITH recorded AS (
    SELECT m.cart_id, m.customer_id, m.created_at, m.code, d.percent, true AS messaged
    FROM checkout_nightly.recovery_messages AS m
    LEFT JOIN checkout_nightly.discount_codes AS d ON d.code = m.code
    UNION ALL
    SELECT h.cart_id, h.customer_id, h.created_at, NULL, NULL, false
    FROM checkout_nightly.recovery_holdouts AS h
), latest AS (
    SELECT DISTINCT ON (cart_id) *,
           ('x' || substr(md5('demo return:' || cart_id), 1, 8))::bit(32)::bigint / 4294967296.0 AS chance,
           ('x' || substr(md5('demo return time:' || cart_id), 1, 8))::bit(32)::bigint / 4294967296.0 AS delay
    FROM recorded
    ORDER BY cart_id, created_at DESC
), comebacks AS (
    SELECT l.*, md5('demo return order:' || l.cart_id)::uuid AS order_id,
           l.created_at + interval '1 hour' + l.delay * interval '60 hours' AS ordered_at,
           c.currency,
           (SELECT sum(i.quantity * i.unit_price) FROM cart_items AS i
            WHERE i.cart_session_id = l.cart_id AND i.in_stock IS DISTINCT FROM false
              AND NULLIF(btrim(i.stock_error), '') IS NULL) AS value
    FROM latest AS l
    JOIN cart_sessions AS c ON c.id = l.cart_id AND c.status = 'active' AND c.order_id IS NULL
    WHERE l.chance < CASE WHEN l.messaged THEN 0.30 ELSE 0.15 END
), ordered AS (
    INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency,
                        discount_code, metadata, created_at)
    SELECT order_id, 'ORD-' || upper(substr(replace(order_id::text, '-', ''), 1, 16)), customer_id, cart_id, 'paid',
           CASE WHEN currency = 'JPY' THEN round(value * (100 - COALESCE(percent, 0)) / 100, 0)
                ELSE round(value * (100 - COALESCE(percent, 0)) / 100, 2) END,
           currency, code, '{}'::jsonb, ordered_at
    FROM comebacks
    WHERE value > 0
    RETURNING id, cart_session_id, created_at
)
UPDATE cart_sessions AS c
SET status = 'completed', is_active = false, order_id = o.id, version = c.version + 1, updated_at = o.created_at
FROM ordered AS o
WHERE c.id = o.cart_session_id;
