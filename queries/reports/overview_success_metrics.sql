-- The plan's success metrics (section "Success Metrics") as numerator and denominator, one row per metric,
-- over the report window: the window_days days before the run's clock, [now - window_days, now).
-- A metric whose denominator is 0 has no data; the page says so rather than showing a rate.
-- parameters: now, window_days, run_id
WITH bounds AS (
    SELECT $1::timestamptz AS now, $1::timestamptz - make_interval(days => $2::integer) AS start
), carts AS MATERIALIZED (
    -- The carts the first three metrics look at, read once (the view groups every item).
    SELECT c.*
    FROM checkout_nightly.cart_outcomes AS c, bounds AS b
    WHERE (c.created_at >= b.start AND c.created_at < b.now)
       OR (c.checkout_started_at >= b.start AND c.checkout_started_at < b.now)
)
-- checkout_success: carts whose checkout started in the window (checkout_started_at) → those that have an
-- order in orders (matched by orders.cart_session_id). Target: at least 85 %.
SELECT 'checkout_success' AS metric,
       count(*) FILTER (WHERE c.has_order)::bigint AS numerator,
       count(*)::bigint AS denominator
FROM carts AS c, bounds AS b
WHERE c.checkout_started_at >= b.start AND c.checkout_started_at < b.now
UNION ALL
-- cart_abandonment: carts created in the window and at least a day before the clock (so a cart still being
-- filled is not counted), that held an item or led to an order → those without an order. Target: at most 20 %.
SELECT 'cart_abandonment',
       count(*) FILTER (WHERE NOT c.has_order)::bigint,
       count(*)::bigint
FROM carts AS c, bounds AS b
WHERE c.created_at >= b.start AND c.created_at < b.now - interval '1 day' AND (c.has_items OR c.has_order)
UNION ALL
-- stock_error_rate: carts created in the window that hold items → those with at least one item whose stock
-- check failed (in_stock false or a stock_error, plan task 1.3). Target: at most 2 %.
SELECT 'stock_error_rate',
       count(*) FILTER (WHERE c.stock_failed)::bigint,
       count(*)::bigint
FROM carts AS c, bounds AS b
WHERE c.created_at >= b.start AND c.created_at < b.now AND c.has_items
UNION ALL
-- cleanup_failure_rate: orders created in the window that came from a cart → those whose cart the order
-- service failed to clean up after the order: the stuck-cart pass cleaned it (metadata.cleaned_by_job) or it is
-- still in checkout with its order more than 10 minutes (the pass's default grace period) after the order.
-- Target: below 1 %.
SELECT 'cleanup_failure_rate',
       count(*) FILTER (WHERE c.metadata @> '{"cleaned_by_job": true}'
                           OR (c.status = 'checkout' AND c.order_id IS NOT NULL
                               AND o.created_at < b.now - interval '10 minutes'))::bigint,
       count(*)::bigint
FROM orders AS o
JOIN cart_sessions AS c ON c.id = o.cart_session_id
CROSS JOIN bounds AS b
WHERE o.created_at >= b.start AND o.created_at < b.now
UNION ALL
-- optimistic_lock_conflicts: version-checked cart writes the stuck-cart pass attempted in step runs started in
-- the window (counts "cleaned" + "conflicts" in the run ledger) → those that lost the version check
-- ("conflicts"). Target: below 0.1 %.
SELECT 'optimistic_lock_conflicts',
       COALESCE(sum(conflicts), 0)::bigint,
       COALESCE(sum(cleaned + conflicts), 0)::bigint
FROM (
    SELECT CASE WHEN s.counts ->> 'conflicts' ~ '^[0-9]+$' THEN (s.counts ->> 'conflicts')::bigint ELSE 0 END AS conflicts,
           CASE WHEN s.counts ->> 'cleaned' ~ '^[0-9]+$' THEN (s.counts ->> 'cleaned')::bigint ELSE 0 END AS cleaned
    FROM checkout_nightly.step_runs AS s, bounds AS b
    WHERE s.step = 'stuck-carts' AND s.finished_at IS NOT NULL
      -- This run's own pass, stamped just after the clock, counts too.
      AND s.started_at >= b.start AND (s.started_at < b.now OR s.run_id = $3::uuid)
) AS runs;
