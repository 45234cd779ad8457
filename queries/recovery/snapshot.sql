-- The recovery state now ($1 the run's clock): carts per stage (the latest message sent to an active cart without
-- an order, none yet, or abandoned by this batch), discount codes by state, and notifications the notification service has not
-- dispatched yet (cancelled ones left out): how many, and the age in whole seconds of the oldest (0 when none).
-- One row per (kind, name).
SELECT 'carts' AS kind, COALESCE(latest.stage, 'none') AS name, count(*)::bigint AS value
FROM cart_sessions AS c
-- The latest message of every cart at once (joined by hash, not looked up cart by cart: a million carts).
LEFT JOIN (
    SELECT DISTINCT ON (m.cart_id) m.cart_id, m.stage
    FROM checkout_nightly.recovery_messages AS m
    ORDER BY m.cart_id, m.created_at DESC, m.stage DESC) AS latest ON latest.cart_id = c.id
WHERE c.status = 'active' AND c.is_active AND c.order_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)
GROUP BY 2
UNION ALL
SELECT 'carts', 'abandon', count(*)
FROM cart_sessions
WHERE status = 'abandoned' AND metadata @> '{"abandoned_by_job": true}'
UNION ALL
SELECT 'codes', state, count(*)
FROM (
    SELECT CASE WHEN redeemed_order_id IS NOT NULL THEN 'redeemed'
                WHEN expires_at <= $1::timestamptz THEN 'expired'
                ELSE 'open' END AS state
    FROM checkout_nightly.discount_codes) AS codes
GROUP BY state
UNION ALL
SELECT 'outbox', 'pending', count(*)
FROM checkout_nightly.notification_outbox
WHERE dispatched_at IS NULL AND cancelled_at IS NULL
UNION ALL
SELECT 'outbox', 'oldest_pending_age_seconds',
       COALESCE(floor(extract(epoch FROM $1::timestamptz - min(created_at))), 0)::bigint
FROM checkout_nightly.notification_outbox
WHERE dispatched_at IS NULL AND cancelled_at IS NULL;
