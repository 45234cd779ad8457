-- Removes a confirmed reservation's errors from its order's metadata in one statement: a confirmation of
-- reservation R for order O settles every error entry of O whose reservation_id is R (two failures recorded for
-- it, or an entry the order service amended after enrolment, go too). The array is rebuilt from the row's current
-- value (the one the row lock gives this UPDATE, so a concurrent change is never overwritten); every other key and
-- element (malformed ones included) stays as it is. Returns 1 when an entry was there.
-- parameters: order_id, reservation_id
UPDATE orders AS o
SET metadata = jsonb_set(
        o.metadata, '{reservation_confirmation_errors}',
        COALESCE((SELECT jsonb_agg(e.value ORDER BY e.position)
                  FROM jsonb_array_elements(o.metadata -> 'reservation_confirmation_errors')
                      WITH ORDINALITY AS e (value, position)
                  WHERE NOT e.value @> jsonb_build_object('reservation_id', $2::text)), '[]'::jsonb))
WHERE o.id = $1::uuid
  AND jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
  AND o.metadata -> 'reservation_confirmation_errors' @> jsonb_build_array(jsonb_build_object('reservation_id', $2::text));
