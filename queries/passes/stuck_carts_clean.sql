-- Cleans the locked carts of one batch in one statement: each cart still at the version read ($1 ids, $2 the
-- versions read) is completed, deactivated, flagged cleaned_by_job with the run's time ($3) and its version
-- bumped; its items are deleted. Returns every cart cleaned with how many items went.
WITH expected (id, version) AS (
    SELECT * FROM unnest($1::uuid[], $2::int[])
), cleaned AS (
    UPDATE cart_sessions AS c
    SET status = 'completed',
        is_active = false,
        version = c.version + 1,
        metadata = c.metadata || jsonb_build_object('cleaned_by_job', true, 'cleaned_by_job_at', $3::timestamptz)
    FROM expected AS e
    WHERE c.id = e.id AND c.version = e.version AND c.status = 'checkout'
    RETURNING c.id
), deleted_items AS (
    DELETE FROM cart_items AS i
    USING cleaned
    WHERE i.cart_session_id = cleaned.id
    RETURNING i.cart_session_id
)
SELECT cleaned.id, count(d.cart_session_id) AS items
FROM cleaned
LEFT JOIN deleted_items AS d ON d.cart_session_id = cleaned.id
GROUP BY cleaned.id;
