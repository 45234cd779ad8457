-- Recovered revenue and discount given per stage and currency (never summed across currencies) for messages
-- sent in the report window that converted: the converted order's total_amount, and the discount its code
-- took off (total_amount is after the discount: total × percent / (100 − percent)). Columns read:
-- recovery_messages.stage, created_at, converted_at, converted_order_id, code; discount_codes.code, percent.
-- parameters: now, window_days
-- requires: checkout_nightly.recovery_messages, checkout_nightly.discount_codes
SELECT m.stage, o.currency, count(*)::bigint AS orders,
       sum(o.total_amount) AS revenue,
       COALESCE(sum(round(o.total_amount * d.percent / (100 - d.percent), 2)), 0) AS discount
FROM checkout_nightly.recovery_messages AS m
JOIN orders AS o ON o.id = m.converted_order_id
LEFT JOIN checkout_nightly.discount_codes AS d ON d.code = m.code
WHERE m.converted_at IS NOT NULL
  AND m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at < $1::timestamptz
GROUP BY m.stage, o.currency
ORDER BY m.stage, o.currency;
