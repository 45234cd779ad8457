-- Self-check: a customer messaged twice within the cooldown ($1, seconds; across carts). One row per message
-- that followed an earlier one too soon, with that earlier message (ties on created_at broken by id).
-- parameters: cooldown_seconds
SELECT later.id AS message_id, later.customer_id, later.created_at AS message_created_at,
       earlier.id AS earlier_message_id, earlier.created_at AS earlier_created_at,
       round(extract(epoch FROM later.created_at - earlier.created_at))::bigint AS seconds_apart
FROM checkout_nightly.recovery_messages AS later
CROSS JOIN LATERAL (
    SELECT e.id, e.created_at FROM checkout_nightly.recovery_messages AS e
    WHERE e.customer_id = later.customer_id
      AND (e.created_at, e.id) < (later.created_at, later.id)
      AND e.created_at > later.created_at - make_interval(secs => $1::double precision)
    ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS earlier
ORDER BY later.created_at, later.id;
