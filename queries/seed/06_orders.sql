ANALYZE cart_items;

-- Orders for completed carts and for most carts stuck in checkout. Each tried 1–3 inventory reservations;
-- 8 % failed to confirm some of them (task 1.5), and 0.5 % carry malformed metadata of the kinds other code
-- has been seen to write: a string, a number in the array, an object instead of an array, missing keys.
INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency,
                    discount_code, metadata, created_at)
SELECT c.order_id,
       'ORD-' || upper(substr(replace(c.order_id::text, '-', ''), 1, 16)),
       c.customer_id, c.id,
       (ARRAY['confirmed', 'paid', 'shipped'])[1 + c.n % 3],
       totals.total, c.currency, NULL,
       jsonb_build_object('reservation_ids', reservations.ids)
         || CASE
              WHEN r.errors < 0.08 THEN jsonb_build_object('reservation_confirmation_errors', (
                  SELECT jsonb_agg(jsonb_build_object(
                             'reservation_id', reservations.ids ->> (e - 1),
                             'product_id', item.product_id,
                             'sku', item.sku,
                             'warehouse_id', (ARRAY['WH-BER-1', 'WH-NYC-2', 'WH-TYO-1'])[1 + (c.n + e) % 3],
                             'reason', (ARRAY['insufficient_stock', 'warehouse_timeout', 'reservation_expired',
                                              'warehouse_unavailable'])
                                       [1 + floor(pg_temp.seed_unit(c.seed, 31, c.n * 10 + e) * 4)::int],
                             'message', 'Warehouse said: <' || (ARRAY['no stock', 'timeout', 'expired', 'down'])
                                       [1 + (c.n + e) % 4] || '> & gave up',
                             'failed_at', c.updated_at + interval '1 minute'))
                  FROM generate_series(1, 1 + (c.n % 2)::int) AS e
                  CROSS JOIN LATERAL (SELECT product_id, sku FROM cart_items WHERE cart_session_id = c.id
                                      ORDER BY id LIMIT 1) AS item))
              WHEN r.errors < 0.085 THEN jsonb_build_object('reservation_confirmation_errors',
                  (ARRAY['"timeout talking to warehouse"', '[42, "x"]', '{"reason": "not an array"}',
                         '[{"reservation_id": "res-missing-keys"}]'])[1 + c.n % 4]::jsonb)
              ELSE '{}'::jsonb
            END,
       c.updated_at
FROM seed_carts AS c
JOIN (SELECT cart_session_id, sum(quantity * unit_price) AS total FROM cart_items GROUP BY cart_session_id) AS totals
  ON totals.cart_session_id = c.id
CROSS JOIN LATERAL (SELECT pg_temp.seed_unit(c.seed, 30, c.n) AS errors) AS r
CROSS JOIN LATERAL (
    SELECT jsonb_agg('res_' || substr(md5(c.seed || ':reservation:' || c.n || ':' || k), 1, 12)) AS ids
    FROM generate_series(1, 1 + (c.n % 3)::int) AS k) AS reservations
WHERE c.order_exists;

-- Orders on another cart: for 6 % of the customers' active carts, the customer later ordered through another
-- channel (no cart of the demo: the app, the phone), between the cart's last activity and now. Cart recovery must
-- not mail those carts (suppressed_ordered_since).
INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency,
                    discount_code, metadata, created_at)
SELECT md5(c.seed || ':other-order:' || c.n)::uuid,
       'ORD-' || upper(substr(md5(c.seed || ':other-order-number:' || c.n), 1, 16)),
       c.customer_id, NULL, 'paid',
       CASE c.currency WHEN 'JPY' THEN 4500 WHEN 'EUR' THEN 27.55 ELSE 29.95 END, c.currency, NULL, '{}'::jsonb,
       c.updated_at + (c.now - c.updated_at) * pg_temp.seed_unit(c.seed, 33, c.n)
FROM seed_carts AS c
WHERE c.kind = 'active' AND c.customer_id IS NOT NULL AND pg_temp.seed_unit(c.seed, 32, c.n) < 0.06;
