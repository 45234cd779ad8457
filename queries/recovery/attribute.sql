-- Attribution, recomputed every run ($1 the run's clock, $2 the attribution window in seconds). An order placed
-- within the window after a message, from the message's cart or with its code, converts it; each order is credited
-- to one message (the one whose code it used, else the latest before it) and each message to its first such
-- order. Messages whose window has closed are marked final by the first run after it closed and are not
-- recomputed after that. Orders that used a recovery code are recorded on the code. Held-out rows
-- (recovery_holdouts) are attributed the same way over the same window, apart from the messages: an order from the
-- held-out cart converts it (they have no code), each order credited to the latest held-out row before it. Only
-- rows whose values change are written.
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
), open_holdouts AS (
    SELECT h.id, h.cart_id, h.created_at,
           h.created_at + make_interval(secs => $2::double precision) <= $1::timestamptz AS closes
    FROM checkout_nightly.recovery_holdouts AS h
    WHERE NOT h.attribution_final
), holdout_credited AS (
    SELECT DISTINCT ON (o.id) o.id AS order_id, o.created_at AS ordered_at, r.id AS holdout_id
    FROM open_holdouts AS r
    JOIN orders AS o ON o.cart_session_id = r.cart_id
    WHERE o.created_at >= r.created_at AND o.created_at < r.created_at + make_interval(secs => $2::double precision)
      AND o.created_at <= $1::timestamptz
    ORDER BY o.id, r.created_at DESC
), holdout_first_order AS (
    SELECT DISTINCT ON (holdout_id) holdout_id, order_id, ordered_at
    FROM holdout_credited
    ORDER BY holdout_id, ordered_at, order_id
), holdouts_converted AS (
    UPDATE checkout_nightly.recovery_holdouts AS h
    SET converted_order_id = f.order_id, converted_at = f.ordered_at, attribution_final = r.closes
    FROM open_holdouts AS r
    LEFT JOIN holdout_first_order AS f ON f.holdout_id = r.id
    WHERE h.id = r.id AND (h.converted_order_id IS DISTINCT FROM f.order_id OR r.closes)
    RETURNING h.id
), redeemed AS (
    UPDATE checkout_nightly.discount_codes AS d
    SET redeemed_order_id = o.id, redeemed_at = o.created_at
    FROM orders AS o
    WHERE o.discount_code = d.code AND d.redeemed_order_id IS NULL AND o.created_at <= $1::timestamptz
    RETURNING d.code
)
SELECT (SELECT count(*) FROM converted)::bigint AS messages_changed,
       (SELECT count(*) FROM holdouts_converted)::bigint AS holdouts_changed,
       (SELECT count(*) FROM redeemed)::bigint AS codes_redeemed;
