-- Reporting views over the order service's orders (plan task 2.4.1), in the batch's own schema so the order
-- service's schema gains nothing. Malformed metadata never makes these views fail: every JSON access is guarded
-- by jsonb_typeof, and rows that do not have the documented shape are listed by reservation_metadata_problems.

-- The plan's view: every order that recorded reservation confirmation errors, whatever their shape.
-- errors_type is jsonb_typeof of the value ('array' when well-formed; 'string', 'object', … when not).
CREATE VIEW checkout_nightly.orders_with_reservation_errors AS
SELECT o.id, o.order_number, o.customer_id, o.cart_session_id, o.total_amount, o.currency,
       o.metadata -> 'reservation_confirmation_errors' AS errors,
       jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') AS errors_type,
       o.created_at
FROM orders AS o
WHERE o.metadata ? 'reservation_confirmation_errors';

-- One row per well-formed confirmation error: an element of the errors array that is an object whose
-- reason, product_id and warehouse_id are strings (the keys the dashboards and the runbook need).
CREATE VIEW checkout_nightly.reservation_confirmation_errors AS
SELECT o.id AS order_id, o.order_number, o.customer_id, o.cart_session_id, o.total_amount, o.currency,
       o.created_at, e.position::integer AS position,
       e.value ->> 'reservation_id' AS reservation_id,
       e.value ->> 'product_id' AS product_id,
       e.value ->> 'sku' AS sku,
       e.value ->> 'warehouse_id' AS warehouse_id,
       e.value ->> 'reason' AS reason,
       e.value ->> 'message' AS message
FROM checkout_nightly.orders_with_reservation_errors AS o
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN o.errors_type = 'array' THEN o.errors ELSE '[]'::jsonb END)
    WITH ORDINALITY AS e (value, position)
WHERE jsonb_typeof(e.value) = 'object'
  AND jsonb_typeof(e.value -> 'reason') = 'string'
  AND jsonb_typeof(e.value -> 'product_id') = 'string'
  AND jsonb_typeof(e.value -> 'warehouse_id') = 'string';

-- One row per shape problem: the errors value is not an array (position NULL), or an element is not an object,
-- or an object lacks one of reason, product_id, warehouse_id as a string. raw_value is the offending JSON.
CREATE VIEW checkout_nightly.reservation_metadata_problems AS
SELECT o.id AS order_id, o.order_number, o.customer_id, o.created_at, p.position, p.problem, p.raw_value
FROM checkout_nightly.orders_with_reservation_errors AS o
CROSS JOIN LATERAL (
    SELECT NULL::integer AS position,
           'reservation_confirmation_errors is ' || o.errors_type || ', not an array' AS problem,
           o.errors::text AS raw_value
    WHERE o.errors_type <> 'array'
    UNION ALL
    SELECT e.position::integer,
           CASE WHEN jsonb_typeof(e.value) <> 'object'
                THEN 'element ' || e.position || ' is ' || jsonb_typeof(e.value) || ', not an object'
                ELSE 'element ' || e.position || ' lacks ' || array_to_string(ARRAY(
                         SELECT k FROM unnest(ARRAY['reason', 'product_id', 'warehouse_id']) AS k
                         WHERE jsonb_typeof(e.value -> k) IS DISTINCT FROM 'string'), ', ')
           END,
           e.value::text
    FROM jsonb_array_elements(CASE WHEN o.errors_type = 'array' THEN o.errors ELSE '[]'::jsonb END)
        WITH ORDINALITY AS e (value, position)
    WHERE jsonb_typeof(e.value) <> 'object'
       OR jsonb_typeof(e.value -> 'reason') IS DISTINCT FROM 'string'
       OR jsonb_typeof(e.value -> 'product_id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(e.value -> 'warehouse_id') IS DISTINCT FROM 'string'
) AS p;

-- One row per cart with what the funnel and the success metrics ask of it, computed with set-based joins
-- (hash joins over the grouped items and the carts that have an order) rather than a lookup per cart:
-- has_items (an item row exists), stock_failed (an item failed its stock check: in_stock false or a
-- stock_error), has_order (an order names the cart). Filter it by created_at or checkout_started_at: the filter
-- reaches cart_sessions.
CREATE VIEW checkout_nightly.cart_outcomes AS
SELECT c.id, c.currency, c.status, c.created_at, c.updated_at, c.checkout_started_at,
       i.cart_session_id IS NOT NULL AS has_items,
       COALESCE(i.stock_failed, false) AS stock_failed,
       o.cart_session_id IS NOT NULL AS has_order
FROM cart_sessions AS c
LEFT JOIN (
    SELECT cart_session_id, bool_or(NOT in_stock OR stock_error IS NOT NULL) AS stock_failed
    FROM cart_items
    GROUP BY cart_session_id
) AS i ON i.cart_session_id = c.id
LEFT JOIN (SELECT DISTINCT cart_session_id FROM orders WHERE cart_session_id IS NOT NULL) AS o
       ON o.cart_session_id = c.id;
