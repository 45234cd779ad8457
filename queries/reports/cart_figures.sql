-- The figures that need every cart's items, computed from one reading of checkout_nightly.cart_outcomes (which
-- groups cart_items by cart once) instead of one per report: the rows of three reports, each row named by its
-- first column. Carts read: those created in the report window [now - window_days, now) or whose checkout
-- started in it.
--
-- overview_success_metrics: the plan's success metrics (section "Success Metrics") as numerator and
-- denominator, one row per metric; a metric whose denominator is 0 has no data (the page says so).
--   checkout_success: carts whose checkout started in the window → those with an order (orders.cart_session_id).
--     Target: at least 85 %.
--   cart_abandonment: carts created in the window and at least a day before the clock (so a cart still being
--     filled is not counted), that held an item or led to an order → those without an order. Target: at most 20 %.
--   stock_error_rate: carts created in the window that hold items → those with at least one item whose stock check
--     failed (in_stock false or a stock_error, plan task 1.3). Target: at most 2 %.
--   cleanup_failure_rate: orders created in the window that came from a cart → those whose cart the order service
--     failed to clean up after the order: the stuck-cart pass cleaned it (metadata.cleaned_by_job) or it is still
--     in checkout with its order more than 10 minutes (the pass's default grace period) after the order.
--     Target: below 1 %.
--   optimistic_lock_conflicts: version-checked cart writes the stuck-cart pass attempted in step runs started in
--     the window (counts "cleaned" + "conflicts" in the run ledger) → those that lost the version check
--     ("conflicts"). Target: below 0.1 %.
-- analytics_funnel: the cart funnel (plan task 3.2) for carts created in the window: carts → carts with items (an
--   item row, or an order: the stuck-cart pass deletes a completed cart's items) → checkout started
--   (checkout_started_at set, or an order) → order placed (an order with that cart).
-- analytics_cart_value: average cart value per currency (never summed across currencies) for carts created in the
--   window that still hold items: the sum of quantity × unit_price of each cart's items. One row per currency.
-- reports: overview_success_metrics, analytics_funnel, analytics_cart_value
-- parameters: now, window_days, run_id
WITH bounds AS NOT MATERIALIZED (
    SELECT $1::timestamptz AS now, $1::timestamptz - make_interval(days => $2::integer) AS start
), carts AS (
    SELECT c.currency, c.has_items, c.has_order, c.stock_failed, c.value,
           c.created_at >= b.start AND c.created_at < b.now AS created_in_window,
           c.checkout_started_at >= b.start AND c.checkout_started_at < b.now AS checkout_in_window,
           c.created_at < b.now - interval '1 day' AS day_old,
           c.checkout_started_at IS NOT NULL OR c.has_order AS checkout_started
    FROM checkout_nightly.cart_outcomes AS c, bounds AS b
    WHERE (c.created_at >= b.start AND c.created_at < b.now)
       OR (c.checkout_started_at >= b.start AND c.checkout_started_at < b.now)
), figures AS (
    -- One pass over the carts: the totals (all_currencies) and one row per currency.
    SELECT GROUPING(currency) = 1 AS all_currencies, currency,
           count(*) FILTER (WHERE checkout_in_window AND has_order) AS checkout_success,
           count(*) FILTER (WHERE checkout_in_window) AS checkout_started_in_window,
           count(*) FILTER (WHERE created_in_window AND day_old AND NOT has_order AND has_items) AS abandoned,
           count(*) FILTER (WHERE created_in_window AND day_old AND (has_items OR has_order)) AS abandonable,
           count(*) FILTER (WHERE created_in_window AND has_items AND stock_failed) AS stock_failed,
           count(*) FILTER (WHERE created_in_window) AS carts,
           count(*) FILTER (WHERE created_in_window AND (has_items OR has_order)) AS with_items,
           count(*) FILTER (WHERE created_in_window AND (has_items OR has_order) AND checkout_started)
               AS checkout_started,
           count(*) FILTER (WHERE created_in_window AND has_order) AS order_placed,
           count(*) FILTER (WHERE created_in_window AND has_items) AS carts_with_items,
           avg(value) FILTER (WHERE created_in_window AND has_items) AS average_value,
           sum(value) FILTER (WHERE created_in_window AND has_items) AS total_value
    FROM carts
    GROUP BY GROUPING SETS ((), (currency))
), metrics AS (
    SELECT 1 AS position, 'checkout_success' AS metric, f.checkout_success AS numerator,
           f.checkout_started_in_window AS denominator
    FROM figures AS f WHERE f.all_currencies
    UNION ALL
    SELECT 2, 'cart_abandonment', f.abandoned, f.abandonable FROM figures AS f WHERE f.all_currencies
    UNION ALL
    SELECT 3, 'stock_error_rate', f.stock_failed, f.carts_with_items FROM figures AS f WHERE f.all_currencies
    UNION ALL
    SELECT 4, 'cleanup_failure_rate',
           count(*) FILTER (WHERE c.metadata @> '{"cleaned_by_job": true}'
                               OR (c.status = 'checkout' AND c.order_id IS NOT NULL
                                   AND o.created_at < b.now - interval '10 minutes')),
           count(*)
    FROM orders AS o
    JOIN cart_sessions AS c ON c.id = o.cart_session_id
    CROSS JOIN bounds AS b
    WHERE o.created_at >= b.start AND o.created_at < b.now
    UNION ALL
    SELECT 5, 'optimistic_lock_conflicts', COALESCE(sum(conflicts), 0), COALESCE(sum(cleaned + conflicts), 0)
    FROM (
        SELECT CASE WHEN s.counts ->> 'conflicts' ~ '^[0-9]+$' THEN (s.counts ->> 'conflicts')::bigint ELSE 0 END AS conflicts,
               CASE WHEN s.counts ->> 'cleaned' ~ '^[0-9]+$' THEN (s.counts ->> 'cleaned')::bigint ELSE 0 END AS cleaned
        FROM checkout_nightly.step_runs AS s, bounds AS b
        WHERE s.step = 'stuck-carts' AND s.finished_at IS NOT NULL
          -- This run's own pass, stamped just after the clock, counts too.
          AND s.started_at >= b.start AND (s.started_at < b.now OR s.run_id = $3::uuid)
    ) AS runs
)
SELECT 'overview_success_metrics' AS report, m.metric, m.numerator::bigint AS numerator,
       m.denominator::bigint AS denominator, NULL::bigint AS carts, NULL::bigint AS with_items,
       NULL::bigint AS checkout_started, NULL::bigint AS order_placed, NULL::character(3) AS currency,
       NULL::numeric AS average_value, NULL::numeric AS total_value, m.position AS position
FROM metrics AS m
UNION ALL
SELECT 'analytics_funnel', NULL, NULL, NULL, f.carts, f.with_items, f.checkout_started, f.order_placed, NULL, NULL,
       NULL, 0
FROM figures AS f WHERE f.all_currencies
UNION ALL
SELECT 'analytics_cart_value', NULL, NULL, NULL, f.carts_with_items, NULL, NULL, NULL, f.currency,
       round(f.average_value, 2), f.total_value, 0
FROM figures AS f WHERE NOT f.all_currencies AND f.carts_with_items > 0
ORDER BY report, position, currency;
