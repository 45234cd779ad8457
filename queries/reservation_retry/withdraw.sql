-- Pending and exhausted errors of which no entry with their reservation_id is left in their order's metadata (a
-- person reconciled it, or the order is gone) are withdrawn: nothing is left to confirm, and an exhausted one no
-- longer waits for a person. An entry the order service amended after enrolment still counts as the error's.
-- parameters: now
UPDATE checkout_nightly.reservation_retries AS r
SET state = 'withdrawn', next_attempt_at = NULL, resolved_at = $1::timestamptz
WHERE r.state IN ('pending', 'exhausted') AND r.in_flight_attempt IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM orders AS o
      WHERE o.id = r.order_id
        AND jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
        AND o.metadata -> 'reservation_confirmation_errors'
            @> jsonb_build_array(jsonb_build_object('reservation_id', r.reservation_id)));
