-- Marks carts abandoned after the abandonment delay ($1 cart ids, $2 the versions read, $3 the run's clock,
-- $4 the delay in seconds). A cart changes only while its version is still the one read and it still qualifies
-- (active, no order, idle long enough); carts another transaction holds are skipped. Metadata that is not a JSON
-- object is kept under original_metadata inside the object that carries the flag. Returns the carts changed.
WITH claimed AS (
    SELECT c.id
    FROM cart_sessions AS c
    JOIN unnest($1::uuid[], $2::int[]) AS planned (id, version) ON planned.id = c.id AND planned.version = c.version
    WHERE c.status = 'active' AND c.is_active AND c.order_id IS NULL
      AND c.updated_at <= $3::timestamptz - make_interval(secs => $4::double precision)
      AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)
    FOR UPDATE OF c SKIP LOCKED
)
UPDATE cart_sessions AS c
SET status = 'abandoned', is_active = false, version = c.version + 1,
    metadata = CASE WHEN jsonb_typeof(coalesce(c.metadata, '{}')) = 'object' THEN coalesce(c.metadata, '{}')
                    ELSE jsonb_build_object('original_metadata', c.metadata) END
               || jsonb_build_object('abandoned_by_job', true, 'abandoned_at', $3::timestamptz)
FROM claimed
WHERE c.id = claimed.id
RETURNING c.id;
