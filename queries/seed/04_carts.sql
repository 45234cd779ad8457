ANALYZE seed_carts;

-- The planned carts. Created up to two days before their last activity, or when checkout started.
INSERT INTO cart_sessions (id, session_id, customer_id, status, is_active, order_id, currency, metadata, version,
                           created_at, updated_at, checkout_started_at, expires_at)
SELECT id, session_id, customer_id, status, status IN ('active', 'checkout'), order_id, currency,
       CASE WHEN r_metadata < 0.3 THEN '{"channel": "app"}'::jsonb ELSE '{"channel": "web"}'::jsonb END,
       version,
       COALESCE(checkout_started_at, updated_at) - make_interval(secs => r_metadata * 2 * 86400),
       updated_at, checkout_started_at, expires_at
FROM seed_carts;
