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
