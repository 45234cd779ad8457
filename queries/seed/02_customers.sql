ANALYZE seed_settings;

-- The optional customers.time_zone column (DESIGN.md §2) that some order services keep: the demo has it, so
-- quiet hours and the code's expiry follow each customer's own zone. Seed fills empty demo databases only.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS time_zone text;

-- Customers. Locale and currency follow the customer number: 0–4 en-US/USD, 5–7 de-DE/EUR, 8–9 ja-JP/JPY.
-- About 80 % gave marketing consent, 5 % unsubscribed, 3 % bounced, 40 % use the app with push enabled.
-- The time zone (an IANA name) fits the locale: four US zones, Berlin, Vienna or Zurich, Tokyo; 15 % have none
-- (the batch then falls back to recovery_time_zones by locale region, else UTC).
INSERT INTO customers (id, email, first_name, locale, marketing_opt_in, unsubscribed_at, email_bounced_at,
                       push_enabled, created_at, time_zone)
SELECT md5(s.seed || ':customer:' || n)::uuid,
       (ARRAY['ava', 'jonas', 'sakura', 'zoe', 'jose', 'liam', 'emilie', 'obrien', 'kenji', 'marta'])
           [1 + n % 10] || '.' || n || '@example.' || (ARRAY['com', 'de', 'jp'])[1 + n % 3],
       (ARRAY['Ava', 'Jonas', 'さくら', 'Zoë', 'José', 'Liam', 'Émilie', 'O''Brien', '健二', 'Marta <M&M>'])
           [1 + floor(pg_temp.seed_unit(s.seed, 1, n) * 10)::int],
       CASE WHEN n % 10 < 5 THEN 'en-US' WHEN n % 10 < 8 THEN 'de-DE' ELSE 'ja-JP' END,
       pg_temp.seed_unit(s.seed, 2, n) < 0.80,
       CASE WHEN pg_temp.seed_unit(s.seed, 3, n) < 0.05
            THEN s.now - make_interval(days => 1 + floor(pg_temp.seed_unit(s.seed, 4, n) * 60)::int) END,
       CASE WHEN pg_temp.seed_unit(s.seed, 5, n) < 0.03
            THEN s.now - make_interval(days => 1 + floor(pg_temp.seed_unit(s.seed, 6, n) * 30)::int) END,
       pg_temp.seed_unit(s.seed, 7, n) < 0.40,
       s.now - make_interval(days => 30 + floor(pg_temp.seed_unit(s.seed, 8, n) * 700)::int),
       CASE WHEN pg_temp.seed_unit(s.seed, 9, n) < 0.15 THEN NULL
            WHEN n % 10 < 5 THEN (ARRAY['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'])
                                 [1 + floor(pg_temp.seed_unit(s.seed, 17, n) * 4)::int]
            WHEN n % 10 < 8 THEN (ARRAY['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich'])
                                 [1 + floor(pg_temp.seed_unit(s.seed, 17, n) * 3)::int]
            ELSE 'Asia/Tokyo' END
FROM seed_settings AS s, generate_series(1, s.customers) AS n;
