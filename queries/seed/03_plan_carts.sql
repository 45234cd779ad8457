-- Plans every cart once, in a temporary table the later statements read.
-- Kinds (share): active 45 % (ages spread over the recovery stages: <2 h, 2–24 h, 1–3 d, 3–7 d, 7–30 d),
-- completed with an order 25 %, stuck in checkout with an order 3 % (15 % of those orders missing),
-- checkout started without an order 5 %, expired 12 % (on both sides of the 7-day retention line, some of them
-- still in checkout with an order), abandoned 10 %. 15 % of carts that need no order are guest carts.
CREATE TEMP TABLE seed_carts AS
WITH base AS (
    SELECT n, s.seed, s.now,
           pg_temp.seed_unit(s.seed, 10, n) AS r_kind,
           pg_temp.seed_unit(s.seed, 11, n) AS r_age,
           pg_temp.seed_unit(s.seed, 12, n) AS r_guest,
           pg_temp.seed_unit(s.seed, 14, n) AS r_order,
           1 + floor(pg_temp.seed_unit(s.seed, 13, n) * s.customers)::bigint AS customer_number
    FROM seed_settings AS s, generate_series(1, s.carts) AS n
), kinds AS (
    SELECT *,
           CASE WHEN r_kind < 0.45 THEN 'active' WHEN r_kind < 0.70 THEN 'completed'
                WHEN r_kind < 0.73 THEN 'stuck' WHEN r_kind < 0.78 THEN 'checkout'
                WHEN r_kind < 0.90 THEN 'expired' ELSE 'abandoned' END AS kind,
           least(4, floor(r_age * 5))::int AS age_band
    FROM base
), timed AS (
    SELECT *,
           now - CASE kind
               WHEN 'active' THEN make_interval(secs => 3600 *
                   ((ARRAY[0, 2, 24, 72, 168])[age_band + 1]
                    + (r_age * 5 - age_band) * ((ARRAY[2, 24, 72, 168, 720])[age_band + 1]
                                                - (ARRAY[0, 2, 24, 72, 168])[age_band + 1])))
               WHEN 'completed' THEN make_interval(secs => r_age * 30 * 86400)
               WHEN 'stuck' THEN make_interval(secs => 60 * CASE WHEN r_age < 0.2 THEN r_age / 0.2 * 10
                                                               ELSE 10 + (r_age - 0.2) / 0.8 * 4320 END)
               WHEN 'checkout' THEN make_interval(secs => r_age * 72 * 3600)
               WHEN 'expired' THEN make_interval(days => 30) + make_interval(secs => r_age * 14 * 86400)
               ELSE make_interval(days => 7) + make_interval(secs => r_age * 53 * 86400)
           END AS updated_at,
           kind = 'expired' AND r_order < 0.10 AS expired_in_checkout
    FROM kinds
)
SELECT n, seed, now, kind, updated_at,
       md5(seed || ':cart:' || n)::uuid AS id,
       'sess_' || md5(seed || ':session:' || n) AS session_id,
       CASE WHEN kind IN ('active', 'checkout', 'expired', 'abandoned') AND r_guest < 0.15 AND NOT expired_in_checkout
            THEN NULL ELSE md5(seed || ':customer:' || customer_number)::uuid END AS customer_id,
       CASE WHEN kind IN ('active', 'checkout', 'expired', 'abandoned') AND r_guest < 0.15 AND NOT expired_in_checkout
            THEN (ARRAY['USD', 'EUR', 'JPY'])[1 + n % 3]
            WHEN customer_number % 10 < 5 THEN 'USD' WHEN customer_number % 10 < 8 THEN 'EUR' ELSE 'JPY' END
           AS currency,
       CASE kind WHEN 'active' THEN 'active' WHEN 'completed' THEN 'completed' WHEN 'abandoned' THEN 'abandoned'
                 WHEN 'expired' THEN CASE WHEN expired_in_checkout THEN 'checkout' ELSE 'active' END
                 ELSE 'checkout' END AS status,
       CASE WHEN kind IN ('completed', 'stuck') OR expired_in_checkout
            THEN md5(seed || ':order:' || n)::uuid END AS order_id,
       kind = 'completed' OR expired_in_checkout OR (kind = 'stuck' AND r_order >= 0.15) AS order_exists,
       CASE WHEN kind IN ('completed', 'stuck', 'checkout') OR expired_in_checkout
            THEN updated_at - make_interval(secs => 60 + r_order * 40 * 60) END AS checkout_started_at,
       updated_at + make_interval(days => 30) AS expires_at,
       CASE WHEN kind IN ('active', 'checkout') AND r_guest > 0.90 THEN 0
            ELSE 1 + floor(pg_temp.seed_unit(seed, 20, n) * 5)::int END AS item_count,
       1 + floor(pg_temp.seed_unit(seed, 15, n) * 4)::int AS version,
       pg_temp.seed_unit(seed, 16, n) AS r_metadata
FROM timed;
