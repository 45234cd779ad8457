-- Removes a confirmed error from its order's metadata in one statement: the array is rebuilt from the row's
-- current value (the one the row lock gives this UPDATE, so a concurrent change is never overwritten) without the
-- elements equal to the entry as enrolled; every other key and element stays as it is. Returns 1 when it was there.
-- parameters: order_id, reservation_id
WITH enrolled AS (
    SELECT entry FROM checkout_nightly.reservation_retries WHERE order_id = $1::uuid AND reservation_id = $2::text
)
UPDATE orders AS o
SET metadata = jsonb_set(
        o.metadata, '{reservation_confirmation_errors}',
        COALESCE((SELECT jsonb_agg(e.value ORDER BY e.position)
                  FROM jsonb_array_elements(o.metadata -> 'reservation_confirmation_errors')
                      WITH ORDINALITY AS e (value, position)
                  WHERE e.value <> enrolled.entry), '[]'::jsonb))
FROM enrolled
WHERE o.id = $1::uuid
  AND jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
  AND o.metadata -> 'reservation_confirmation_errors' @> jsonb_build_array(enrolled.entry);
