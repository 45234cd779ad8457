-- The recovery holdout's comparison for the report window [now - window_days, now] (the end included, as for the
-- messages): per stage, the messages and the held-out rows (recovery_holdouts) recorded in the window and how many
-- of each converted (an order credited within the attribution window); and for all stages ('all'), the distinct
-- carts of each group, converted when any of their rows did. NightlyCore's RecoveryLift turns these into rates,
-- the lift and its interval. One row per stage, zeros included.
-- Columns read: recovery_messages and recovery_holdouts: stage, cart_id, created_at, converted_order_id.
-- parameters: now, window_days
WITH recorded AS (
    SELECT m.stage, m.cart_id, true AS messaged, m.converted_order_id IS NOT NULL AS converted
    FROM checkout_nightly.recovery_messages AS m
    WHERE m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at <= $1::timestamptz
    UNION ALL
    SELECT h.stage, h.cart_id, false, h.converted_order_id IS NOT NULL
    FROM checkout_nightly.recovery_holdouts AS h
    WHERE h.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND h.created_at <= $1::timestamptz
), groups AS (
    SELECT stage, messaged, count(*) AS carts, count(*) FILTER (WHERE converted) AS converted
    FROM recorded
    GROUP BY stage, messaged
    UNION ALL
    SELECT 'all', messaged, count(*), count(*) FILTER (WHERE converted)
    FROM (SELECT cart_id, messaged, bool_or(converted) AS converted FROM recorded GROUP BY cart_id, messaged) AS carts
    GROUP BY messaged
)
SELECT stages.stage,
       COALESCE(sum(g.carts) FILTER (WHERE g.messaged), 0)::bigint AS messaged_carts,
       COALESCE(sum(g.converted) FILTER (WHERE g.messaged), 0)::bigint AS messaged_converted,
       COALESCE(sum(g.carts) FILTER (WHERE NOT g.messaged), 0)::bigint AS held_out_carts,
       COALESCE(sum(g.converted) FILTER (WHERE NOT g.messaged), 0)::bigint AS held_out_converted
FROM (VALUES (1, 'first_email'), (2, 'push'), (3, 'second_email'), (4, 'all')) AS stages (position, stage)
LEFT JOIN groups AS g ON g.stage = stages.stage
GROUP BY stages.position, stages.stage
ORDER BY stages.position;
