-- The recovery messages recorded for one cart ($1 cart id, $2 the clock), and its held-out rows (channel NULL),
-- oldest first, with the state of each e-mail's code at $2: redeemed (an order used it), expired, or issued
-- (still open). For `explain`.
SELECT m.stage, m.channel, m.recipient, m.created_at, m.clicked_at IS NOT NULL AS clicked,
       m.converted_order_id IS NOT NULL AS converted,
       CASE WHEN d.code IS NULL THEN NULL
            WHEN d.redeemed_order_id IS NOT NULL THEN 'redeemed'
            WHEN d.expires_at <= $2::timestamptz THEN 'expired'
            ELSE 'issued' END AS code_state
FROM checkout_nightly.recovery_messages AS m
LEFT JOIN checkout_nightly.discount_codes AS d ON d.code = m.code
WHERE m.cart_id = $1::uuid
UNION ALL
SELECT h.stage, NULL, '', h.created_at, false, h.converted_order_id IS NOT NULL, NULL
FROM checkout_nightly.recovery_holdouts AS h
WHERE h.cart_id = $1::uuid
ORDER BY created_at, stage;
