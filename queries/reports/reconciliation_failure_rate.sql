-- Reservation confirmations of the orders placed in the last 24 hours before the run's clock (plan task 1.5.2,
-- panel 1). attempted: the order's reservation_ids (an array; anything else counts 0); failed: the elements of
-- its reservation_confirmation_errors array, or 1 when that key holds something other than an array (a
-- malformed record still records a failure). attempted is never less than failed, so the rate stays within 0–1.
-- parameters: now
SELECT count(*)::bigint AS orders,
       count(*) FILTER (WHERE f.failed > 0)::bigint AS orders_with_errors,
       COALESCE(sum(greatest(f.reserved, f.failed)), 0)::bigint AS attempted,
       COALESCE(sum(f.failed), 0)::bigint AS failed
FROM orders AS o
CROSS JOIN LATERAL (
    SELECT CASE WHEN jsonb_typeof(o.metadata -> 'reservation_ids') = 'array'
                THEN jsonb_array_length(o.metadata -> 'reservation_ids') ELSE 0 END AS reserved,
           CASE WHEN jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
                THEN jsonb_array_length(o.metadata -> 'reservation_confirmation_errors')
                WHEN o.metadata ? 'reservation_confirmation_errors' THEN 1 ELSE 0 END AS failed
) AS f
WHERE o.created_at > $1::timestamptz - interval '24 hours' AND o.created_at <= $1::timestamptz;
