-- Recovered revenue and discount given per stage and currency (never summed across currencies) for messages
-- sent in the report window that converted: the converted order's total_amount, and the discount the message's
-- code took off when the order used it (total_amount is after the discount: total × percent / (100 − percent);
-- a 100 % code leaves nothing to derive it from).
-- Columns read: recovery_messages.stage, created_at, converted_at, converted_order_id, code; orders.discount_code;
-- discount_codes.code, percent. The window, like every figure of the site; the recovery metric file's all-time
-- money per currency comes from queries/recovery/attribution_money.sql.
-- The window includes its end: the recovery pass stamps its messages with the run's clock (created_at = now), so
-- the same night's messages count on the same night's pages. Orders the order service left without a currency
-- or a total have no amount to add and are left out (as in attribution_money.sql).
-- parameters: now, window_days
SELECT m.stage, o.currency, count(*)::bigint AS orders,
       sum(o.total_amount) AS revenue,
       COALESCE(sum(round(o.total_amount * d.percent / (100 - d.percent), 2)), 0) AS discount
FROM checkout_nightly.recovery_messages AS m
JOIN orders AS o ON o.id = m.converted_order_id
LEFT JOIN checkout_nightly.discount_codes AS d
       ON d.code = m.code AND d.code = o.discount_code AND d.percent < 100
WHERE m.converted_at IS NOT NULL AND o.currency IS NOT NULL AND o.total_amount IS NOT NULL
  AND m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at <= $1::timestamptz
GROUP BY m.stage, o.currency
ORDER BY m.stage, o.currency;
