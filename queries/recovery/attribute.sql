-- Attribution, recomputed every run ($1 the run's clock, $2 the attribution window in seconds), for the messages
-- (recovery_messages) and, the same way and apart from them, for the held-out rows (recovery_holdouts). An order
-- placed within the window after a row, from the row's cart or with its code (messages only: held-out rows have
-- none), converts it; within each ledger each order is credited to one row (the one whose code it used, else the
-- latest before it) and each row to its first such order. Rows whose window has closed are marked final by the
-- first run after it closed and are not recomputed after that. Orders that used a recovery code are recorded on
-- the code. Only rows whose values change are written.
WITH open AS (
    SELECT 'message' AS ledger, m.id, m.cart_id, m.code, m.created_at, m.converted_order_id,
           m.created_at + make_interval(secs => $2::double precision) <= $1::timestamptz AS closes
    FROM checkout_nightly.recovery_messages AS m
    WHERE NOT m.attribution_final
    UNION ALL
    SELECT 'holdout', h.id, h.cart_id, NULL, h.created_at, h.converted_order_id,
           h.created_at + make_interval(secs => $2::double precision) <= $1::timestamptz
    FROM checkout_nightly.recovery_holdouts AS h
    WHERE NOT h.attribution_final
), matches AS (
    SELECT r.ledger, o.id AS order_id, o.created_at AS ordered_at, r.id AS row_id, r.created_at AS sent_at,
           false AS by_code
    FROM open AS r
    JOIN orders AS o ON o.cart_session_id = r.cart_id
    UNION ALL
    SELECT r.ledger, o.id, o.created_at, r.id, r.created_at, true
    FROM open AS r
    JOIN orders AS o ON o.discount_code = r.code
), credited AS (
    SELECT DISTINCT ON (ledger, order_id) ledger, order_id, ordered_at, row_id
    FROM matches
    WHERE ordered_at >= sent_at AND ordered_at < sent_at + make_interval(secs => $2::double precision)
      AND ordered_at <= $1::timestamptz
    ORDER BY ledger, order_id, by_code DESC, sent_at DESC
), first_order AS (
    SELECT DISTINCT ON (ledger, row_id) ledger, row_id, order_id, ordered_at
    FROM credited
    ORDER BY ledger, row_id, ordered_at, order_id
), changes AS (
    SELECT r.ledger, r.id, f.order_id, f.ordered_at, r.closes
    FROM open AS r
    LEFT JOIN first_order AS f ON f.ledger = r.ledger AND f.row_id = r.id
    WHERE r.converted_order_id IS DISTINCT FROM f.order_id OR r.closes
), converted AS (
    UPDATE checkout_nightly.recovery_messages AS m
    SET converted_order_id = c.order_id, converted_at = c.ordered_at, attribution_final = c.closes
    FROM changes AS c
    WHERE c.ledger = 'message' AND m.id = c.id
    RETURNING m.id
), holdouts_converted AS (
    UPDATE checkout_nightly.recovery_holdouts AS h
    SET converted_order_id = c.order_id, converted_at = c.ordered_at, attribution_final = c.closes
    FROM changes AS c
    WHERE c.ledger = 'holdout' AND h.id = c.id
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
