-- Takes every failed confirmation with a reservation_id of the orders created within the window into the retry
-- ledger; errors already there keep their schedule. The first attempt falls due one delay after the order's
-- creation. Malformed values (not an array, elements that are not objects or lack a reservation_id) are skipped.
-- parameters: now, window_seconds, first_delay_seconds
INSERT INTO checkout_nightly.reservation_retries
    (order_id, reservation_id, entry, order_number, sku, warehouse_id, idempotency_key, enrolled_at, next_attempt_at)
SELECT o.id, e.value ->> 'reservation_id', e.value, o.order_number, e.value ->> 'sku', e.value ->> 'warehouse_id',
       encode(sha256(convert_to(o.id::text || '/' || (e.value ->> 'reservation_id'), 'UTF8')), 'hex'),
       $1::timestamptz,
       COALESCE(o.created_at, $1::timestamptz) + make_interval(secs => $3::double precision)
FROM orders AS o
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
         THEN o.metadata -> 'reservation_confirmation_errors' ELSE '[]'::jsonb END) AS e (value)
WHERE o.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND o.created_at <= $1::timestamptz
  AND jsonb_typeof(e.value) = 'object'
  AND jsonb_typeof(e.value -> 'reservation_id') = 'string'
  AND e.value ->> 'reservation_id' <> ''
ON CONFLICT (order_id, reservation_id) DO NOTHING;
