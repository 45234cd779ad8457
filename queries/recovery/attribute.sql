-- Attribution, recomputed every run ($1 the run's clock, $2 the attribution window in seconds). An order placed
-- within the window after a message, from the message's cart or with its code, converts it; each order is credited
-- to one message (the one whose code it used, else the latest before it) and each message to its first such
-- order. Messages whose window has closed are marked final by the first run after it closed and are not
-- recomputed after that. Orders that used a recovery code are recorded on the code. Only rows whose values change
-- are written.
WITH open AS (
    SELECT m.id, m.cart_id, m.code, m.created_at,
           m.created_at + make_interval(secs => $2::double precision) <= $1::timestamptz AS closes
    FROM checkout_nightly.recovery_messages AS m
    WHERE NOT m.attribution_final
), matches AS (
    SELECT o.id AS order_id, o.created_at AS ordered_at, r.id AS message_id, r.created_at AS sent_at, false AS by_code
    FROM open AS r
    JOIN orders AS o ON o.cart_session_id = r.cart_id
    UNION ALL
    SELECT o.id, o.created_at, r.id, r.created_at, true
    FROM open AS r
    JOIN orders AS o ON o.discount_code = r.code
), credited AS (
    SELECT DISTINCT ON (order_id) order_id, ordered_at, message_id
    FROM matches
    WHERE ordered_at >= sent_at AND ordered_at < sent_at + make_interval(secs => $2::double precision)
      AND ordered_at <= $1::timestamptz
    ORDER BY order_id, by_code DESC, sent_at DESC
), first_order AS (
    SELECT DISTINCT ON (message_id) message_id, order_id, ordered_at
    FROM credited
    ORDER BY message_id, ordered_at, order_id
), converted AS (
    UPDATE checkout_nightly.recovery_messages AS m
    SET converted_order_id = f.order_id, converted_at = f.ordered_at, attribution_final = r.closes
    FROM open AS r
    LEFT JOIN first_order AS f ON f.message_id = r.id
    WHERE m.id = r.id AND (m.converted_order_id IS DISTINCT FROM f.order_id OR r.closes)
    RETURNING m.id
), redeemed AS (
    UPDATE checkout_nightly.discount_codes AS d
    SET redeemed_order_id = o.id, redeemed_at = o.created_at
    FROM orders AS o
    WHERE o.discount_code = d.code AND d.redeemed_order_id IS NULL AND o.created_at <= $1::timestamptz
    RETURNING d.code
)
SELECT (SELECT count(*) FROM converted)::bigint AS messages_changed, (SELECT count(*) FROM redeemed)::bigint AS codes_redeemed;
