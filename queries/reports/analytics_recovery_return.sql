-- Return on recovery per currency (never summed across currencies) for the report window [now - window_days,
-- now]: the distinct carts messaged and the revenue credited to their messages (converted orders' totals), the
-- discount their codes gave (total × percent / (100 − percent) for orders that used the message's code), and the
-- distinct held-out carts with the revenue credited to their held-out rows. NightlyCore's RecoveryReturn derives
-- the incremental revenue. A messaged cart's currency is the cart's (the credited order's when the cart is gone);
-- a held-out row keeps its cart's currency.
-- Columns read: recovery_messages.cart_id, created_at, converted_order_id, code; recovery_holdouts.cart_id,
-- currency, created_at, converted_order_id; orders.id, total_amount, currency, discount_code;
-- discount_codes.code, percent; cart_sessions.id, currency.
-- parameters: now, window_days
WITH messages AS (
    SELECT m.cart_id, COALESCE(c.currency, o.currency) AS currency, o.total_amount AS revenue,
           COALESCE(round(o.total_amount * d.percent / (100 - d.percent), 2), 0) AS discount
    FROM checkout_nightly.recovery_messages AS m
    LEFT JOIN cart_sessions AS c ON c.id = m.cart_id
    LEFT JOIN orders AS o ON o.id = m.converted_order_id
    LEFT JOIN checkout_nightly.discount_codes AS d
           ON d.code = m.code AND d.code = o.discount_code AND d.percent < 100
    WHERE m.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND m.created_at <= $1::timestamptz
), held_out AS (
    SELECT h.cart_id, h.currency, o.total_amount AS revenue
    FROM checkout_nightly.recovery_holdouts AS h
    LEFT JOIN orders AS o ON o.id = h.converted_order_id AND o.currency = h.currency
    WHERE h.created_at >= $1::timestamptz - make_interval(days => $2::integer) AND h.created_at <= $1::timestamptz
), amounts AS (
    SELECT currency, count(DISTINCT cart_id) AS messaged_carts, COALESCE(sum(revenue), 0) AS recovered_revenue,
           sum(discount) AS discount_given, 0 AS held_out_carts, 0 AS held_out_revenue
    FROM messages
    WHERE currency IS NOT NULL
    GROUP BY currency
    UNION ALL
    SELECT currency, 0, 0, 0, count(DISTINCT cart_id), COALESCE(sum(revenue), 0)
    FROM held_out
    GROUP BY currency
)
SELECT currency, sum(messaged_carts)::bigint AS messaged_carts, sum(recovered_revenue) AS recovered_revenue,
       sum(discount_given) AS discount_given, sum(held_out_carts)::bigint AS held_out_carts,
       sum(held_out_revenue) AS held_out_revenue
FROM amounts
GROUP BY currency
ORDER BY currency;
