-- The recovery messages recorded for one cart ($1 cart id, $2 the clock), oldest first, with the state of each
-- e-mail's code at $2: redeemed (an order used it), expired, or issued (still open). For `explain`.
SELECT m.stage, m.channel, m.recipient, m.created_at, m.code, m.clicked_at IS NOT NULL AS clicked,
       m.converted_order_id IS NOT NULL AS converted,
       CASE WHEN d.code IS NULL THEN NULL
            WHEN d.redeemed_order_id IS NOT NULL THEN 'redeemed'
            WHEN d.expires_at <= $2::timestamptz THEN 'expired'
            ELSE 'issued' END AS code_state
FROM checkout_nightly.recovery_messages AS m
LEFT JOIN checkout_nightly.discount_codes AS d ON d.code = m.code
WHERE m.cart_id = $1::uuid
ORDER BY m.created_at, m.stage;
