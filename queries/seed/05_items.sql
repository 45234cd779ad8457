-- Cart items from a small catalogue whose names carry HTML special characters, quotes, non-Latin text and emoji.
-- Prices are kept per currency: EUR at 0.92 of USD, JPY at 150 with no minor unit. 5 % of items failed their
-- stock check (task 1.3).
WITH catalogue (position, product_id, name, usd_price, has_image) AS (
    VALUES (0, 'prod-tee', 'Organic Cotton Tee', 24.00, true),
           (1, 'prod-hoodie', 'Zip Hoodie "Classic"', 59.90, true),
           (2, 'prod-sneaker', 'Tom''s Trail Sneakers', 119.00, true),
           (3, 'prod-mug', '<script>alert(1)</script> Mug', 14.50, true),
           (4, 'prod-bold', '"quoted" & <b>bold</b> Poster', 19.99, false),
           (5, 'prod-headphones', 'Kopfhörer – Über-Ear 🎧', 149.00, true),
           (6, 'prod-matcha', '抹茶セット 🍵', 32.00, true),
           (7, 'prod-socks', 'Socks 3-Pack (M&L)', 12.00, true),
           (8, 'prod-bottle', 'Steel Bottle 750 ml', 27.50, false),
           (9, 'prod-backpack', 'Rolltop Backpack 20 L', 89.00, true),
           (10, 'prod-cap', 'Baseball Cap ⚾', 22.00, true),
           (11, 'prod-jacket', 'Rain Jacket — Größe M', 139.00, true),
           (12, 'prod-lamp', 'Desk Lamp <LED>', 45.00, true),
           (13, 'prod-notebook', 'Dotted Notebook A5', 9.90, true),
           (14, 'prod-pen', 'Füller "Kolibri"', 35.00, true),
           (15, 'prod-tea', 'Earl Grey 100 g', 8.50, false),
           (16, 'prod-candle', 'Soy Candle ''Forest''', 18.00, true),
           (17, 'prod-watch', 'Field Watch 38 mm', 199.00, true),
           (18, 'prod-charger', 'USB-C Charger 65 W', 39.00, true),
           (19, 'prod-blanket', 'Wool Blanket 🧶', 99.00, true)
)
INSERT INTO cart_items (id, cart_session_id, product_id, sku, product_name, image_url, quantity, unit_price,
                        in_stock, stock_error, version, created_at, updated_at)
SELECT md5(c.seed || ':item:' || c.n || ':' || k)::uuid, c.id, p.product_id,
       upper(replace(p.product_id, 'prod-', 'SKU-')) || '-' || (ARRAY['S', 'M', 'L'])[1 + (c.n + k) % 3],
       p.name,
       CASE WHEN p.has_image THEN 'https://cdn.example.com/products/' || p.product_id || '.jpg' END,
       1 + floor(pg_temp.seed_unit(c.seed, 22, c.n * 10 + k) * 3)::int,
       CASE c.currency WHEN 'EUR' THEN round(p.usd_price * 0.92, 2) WHEN 'JPY' THEN round(p.usd_price * 150, 0)
                       ELSE p.usd_price END,
       stock.failed IS NOT TRUE,
       CASE WHEN stock.failed THEN 'Unable to verify stock' END,
       1, c.updated_at - interval '5 minutes', c.updated_at
FROM seed_carts AS c
CROSS JOIN LATERAL generate_series(1, c.item_count) AS k
CROSS JOIN LATERAL (SELECT pg_temp.seed_unit(c.seed, 23, c.n * 10 + k) < 0.05 AS failed) AS stock
JOIN catalogue AS p ON p.position = floor(pg_temp.seed_unit(c.seed, 21, c.n * 10 + k) * 20)::int;
