-- Cart recovery's view of the carts it may message (docs/recovery.md, docs/performance.md): every fact its rules
-- read (NightlyCore's RecoveryPlanner decides), for each cart that is active, holds items and has no order. Two
-- statements read it: queries/recovery/candidates.sql, every cart idle long enough, once a run; and
-- queries/recovery/reread.sql, one cart, in each message's send transaction after the cart is locked. One
-- definition serves both, and the one-cart read is a prepared statement whose plan PostgreSQL keeps (an index
-- lookup per table) instead of planning it anew for every message, which was a third of the database's work on
-- the send path. Like the reporting views (0003), it reads the order service's tables with its owner's rights.
--
-- pieces and value count only the lines in stock (in_stock not false and no stock_error, task 1.3): a cart whose
-- lines are all unavailable reads pieces 0. ordered_since: the customer placed an order, from any cart, after
-- this cart's last activity. sent_stages and last_message_at count held-out rows (recovery_holdouts) as
-- messages, so a held-out cart moves through the stages and the cool-down exactly as a messaged one. time_zone:
-- customers.time_zone where the order service's table has that optional column, else NULL; read through
-- to_jsonb, which follows the table's columns as they are when the view is read (a column added later counts).
CREATE VIEW checkout_nightly.recovery_carts AS
SELECT c.id, c.version, c.currency, c.updated_at, c.expires_at,
       items.pieces, items.value,
       cu.id AS customer_id, cu.email, cu.first_name, cu.locale, cu.marketing_opt_in,
       cu.unsubscribed_at IS NOT NULL AS unsubscribed, cu.email_bounced_at IS NOT NULL AS bounced, cu.push_enabled,
       to_jsonb(cu) ->> 'time_zone' AS time_zone,
       COALESCE(sent.stages, '{}') AS sent_stages, latest.created_at AS last_message_at,
       EXISTS (SELECT 1 FROM orders AS o
               WHERE o.customer_id = c.customer_id AND o.created_at > c.updated_at) AS ordered_since
FROM cart_sessions AS c
CROSS JOIN LATERAL (
    SELECT count(*) AS lines,
           COALESCE(sum(i.quantity) FILTER (WHERE stock.available), 0)::bigint AS pieces,
           COALESCE(sum(i.quantity * i.unit_price) FILTER (WHERE stock.available), 0) AS value
    FROM cart_items AS i
    CROSS JOIN LATERAL (
        SELECT i.in_stock IS DISTINCT FROM false AND NULLIF(btrim(i.stock_error), '') IS NULL AS available) AS stock
    WHERE i.cart_session_id = c.id) AS items
LEFT JOIN customers AS cu ON cu.id = c.customer_id
LEFT JOIN LATERAL (
    SELECT array_agg(recorded.stage ORDER BY recorded.stage) AS stages
    FROM (SELECT m.stage FROM checkout_nightly.recovery_messages AS m WHERE m.cart_id = c.id
          UNION ALL
          SELECT h.stage FROM checkout_nightly.recovery_holdouts AS h WHERE h.cart_id = c.id) AS recorded) AS sent ON true
LEFT JOIN LATERAL (
    SELECT GREATEST(
               (SELECT max(m.created_at) FROM checkout_nightly.recovery_messages AS m WHERE m.customer_id = c.customer_id),
               (SELECT max(h.created_at) FROM checkout_nightly.recovery_holdouts AS h WHERE h.customer_id = c.customer_id)
           ) AS created_at) AS latest ON true
WHERE c.status = 'active' AND c.is_active AND c.order_id IS NULL
  AND items.lines > 0
  AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id);
