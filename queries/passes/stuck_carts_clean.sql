-- Cleans the locked carts of one batch in one statement: each cart still as it was read ($1 ids, $2 the versions
-- read, $4 the updated_at read: a change that did not bump the version still moves updated_at) is completed,
-- deactivated, flagged cleaned_by_job with the run's time ($3) and its version bumped; its items are deleted.
-- Metadata that is not a JSON object (a string, number, array or null) is kept under original_metadata inside
-- the object that carries the flag. Returns every cart cleaned with how many items went.
WITH expected (id, version, updated_at) AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $4::timestamptz[])
), cleaned AS (
    UPDATE cart_sessions AS c
    SET status = 'completed',
        is_active = false,
        version = c.version + 1,
        metadata = CASE WHEN jsonb_typeof(coalesce(c.metadata, '{}')) = 'object' THEN coalesce(c.metadata, '{}')
                        ELSE jsonb_build_object('original_metadata', c.metadata) END
                   || jsonb_build_object('cleaned_by_job', true, 'cleaned_by_job_at', $3::timestamptz)
    FROM expected AS e
    WHERE c.id = e.id AND c.version = e.version AND c.updated_at = e.updated_at AND c.status = 'checkout'
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
