-- Takes every failed reservation (order and reservation_id) of the orders created within the window into the retry
-- ledger; errors already there keep their schedule. One row per reservation of an order, however many entries the
-- order service recorded for it: a confirmation settles all of them (remove_error.sql). The entry kept is the
-- earliest by failed_at (for its sku and warehouse). The first attempt falls due one delay after the order's
-- creation. Malformed values (not an array, elements that are not objects or lack a reservation_id) are skipped.
-- parameters: now, window_seconds, first_delay_seconds
INSERT INTO checkout_nightly.reservation_retries
    (order_id, reservation_id, entry, order_number, sku, warehouse_id, idempotency_key, enrolled_at, next_attempt_at)
SELECT DISTINCT ON (e.order_id, e.reservation_id)
       e.order_id, e.reservation_id, e.entry, e.order_number, e.entry ->> 'sku', e.entry ->> 'warehouse_id',
       encode(sha256(convert_to(e.order_id::text || '/' || e.reservation_id, 'UTF8')), 'hex'),
       $1::timestamptz, e.created_at + make_interval(secs => $3::double precision)
FROM checkout_nightly.reservation_error_entries AS e
WHERE e.created_at >= $1::timestamptz - make_interval(secs => $2::double precision)
  AND e.created_at <= $1::timestamptz
  AND e.reservation_id IS NOT NULL
ORDER BY e.order_id, e.reservation_id, e.entry ->> 'failed_at' NULLS LAST, e.entry::text
ON CONFLICT (order_id, reservation_id) DO NOTHING;
