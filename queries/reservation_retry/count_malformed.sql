-- Error entries of orders created within the window that cannot be retried: not objects, or without a
-- reservation_id string. They are never called and stay on the reconciliation page's malformed list.
-- parameters: now, window_seconds
SELECT count(*) AS malformed
FROM orders AS o
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
         THEN o.metadata -> 'reservation_confirmation_errors' ELSE '[]'::jsonb END) AS e (value)
WHERE o.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND o.created_at <= $1::timestamptz
  AND (jsonb_typeof(e.value) <> 'object' OR jsonb_typeof(e.value -> 'reservation_id') IS DISTINCT FROM 'string'
       OR e.value ->> 'reservation_id' = '');
