-- The reports read every cart's facts once (queries/reports/cart_figures.sql): cart_outcomes gains value, the sum
-- of quantity × unit_price over the cart's items (NULL for a cart without items), so the average cart value comes
-- from the same grouping of cart_items as the funnel and the success metrics instead of a second one. The other
-- columns are as in 0003.
CREATE OR REPLACE VIEW checkout_nightly.cart_outcomes AS
SELECT c.id, c.currency, c.status, c.created_at, c.updated_at, c.checkout_started_at,
       i.cart_session_id IS NOT NULL AS has_items,
       COALESCE(i.stock_failed, false) AS stock_failed,
       o.cart_session_id IS NOT NULL AS has_order,
       i.value
FROM cart_sessions AS c
LEFT JOIN (
    SELECT cart_session_id, bool_or(NOT in_stock OR stock_error IS NOT NULL) AS stock_failed,
           sum(quantity * unit_price) AS value
    FROM cart_items
    GROUP BY cart_session_id
) AS i ON i.cart_session_id = c.id
LEFT JOIN (SELECT DISTINCT cart_session_id FROM orders WHERE cart_session_id IS NOT NULL) AS o
       ON o.cart_session_id = c.id;
