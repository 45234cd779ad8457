-- The facts of checkout_nightly.recovery_carts (0009), set-based, for the read of every candidate at once
-- (queries/recovery/candidates.sql, docs/performance.md). 0009's view is built for the re-read by key inside each
-- send transaction (queries/recovery/reread.sql): a lateral lookup by index per fact and cart. Over a quarter of a
-- million carts that shape costs six index probes per cart; here each fact is computed once for the whole set and
-- joined by hash: the cart's lines summed after joining its items, the ledger stages per cart and the newest
-- ledger row per customer (both over `recorded`, the two ledgers as one, inlined where it is read), the newest
-- order per customer. The run's filters on the cart (expires_at, updated_at) reach the scan of cart_sessions
-- through the grouped subquery.
--
-- Every column means exactly what it means in 0009, and RecoveryCartsParityTests compares the two views row by row
-- over carts that cover every fact: a change to one belongs in the other. Where the expression differs, it is
-- equal: "a line exists" is the join itself; GREATEST of two maxima is the maximum over both ledgers; "the
-- customer ordered after the cart's last activity" is "the customer's newest order is newer than it" (a NULL time
-- counts in neither). Like 0009, it reads the order service's tables with its owner's rights.
CREATE VIEW checkout_nightly.recovery_carts_bulk AS
WITH recorded AS NOT MATERIALIZED (
    SELECT m.cart_id, m.customer_id, m.stage, m.created_at FROM checkout_nightly.recovery_messages AS m
    UNION ALL
    SELECT h.cart_id, h.customer_id, h.stage, h.created_at FROM checkout_nightly.recovery_holdouts AS h)
SELECT c.id, c.version, c.currency, c.updated_at, c.expires_at,
       c.pieces, c.value,
       cu.id AS customer_id, cu.email, cu.first_name, cu.locale, cu.marketing_opt_in,
       cu.unsubscribed_at IS NOT NULL AS unsubscribed, cu.email_bounced_at IS NOT NULL AS bounced, cu.push_enabled,
       to_jsonb(cu) ->> 'time_zone' AS time_zone,
       COALESCE(sent.stages, '{}') AS sent_stages, latest.created_at AS last_message_at,
       COALESCE(ordered.created_at > c.updated_at, false) AS ordered_since
FROM (
    SELECT c.id, c.customer_id, c.version, c.currency, c.updated_at, c.expires_at,
           COALESCE(sum(i.quantity) FILTER (WHERE stock.available), 0)::bigint AS pieces,
           COALESCE(sum(i.quantity * i.unit_price) FILTER (WHERE stock.available), 0) AS value
    FROM cart_sessions AS c
    JOIN cart_items AS i ON i.cart_session_id = c.id
    CROSS JOIN LATERAL (
        SELECT i.in_stock IS DISTINCT FROM false AND NULLIF(btrim(i.stock_error), '') IS NULL AS available) AS stock
    WHERE c.status = 'active' AND c.is_active AND c.order_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)
    GROUP BY c.id) AS c
LEFT JOIN customers AS cu ON cu.id = c.customer_id
LEFT JOIN (
    SELECT recorded.cart_id, array_agg(recorded.stage ORDER BY recorded.stage) AS stages
    FROM recorded
    GROUP BY recorded.cart_id) AS sent ON sent.cart_id = c.id
LEFT JOIN (
    SELECT recorded.customer_id, max(recorded.created_at) AS created_at
    FROM recorded
    GROUP BY recorded.customer_id) AS latest ON latest.customer_id = c.customer_id
LEFT JOIN (
    SELECT o.customer_id, max(o.created_at) AS created_at
    FROM orders AS o
    GROUP BY o.customer_id) AS ordered ON ordered.customer_id = c.customer_id;
