-- Per currency, kept apart, over the whole ledger: the revenue of orders credited to a recovery message, and the
-- discount given on orders that used a recovery code. An order's total is what the customer paid after the
-- discount, so the discount is total × percent / (100 − percent). All time, for the recovery metric file's
-- gauges, which follow the ledger as the message counters do; the cart analytics page shows the same money per
-- stage for the report window (queries/reports/analytics_recovery_revenue.sql). Orders the order service left
-- without a currency or a total have no amount to add and are left out, here and there.
SELECT currency, sum(revenue) AS revenue, sum(discount) AS discount
FROM (
    SELECT o.currency, o.total_amount AS revenue, 0::numeric AS discount
    FROM checkout_nightly.recovery_messages AS m
    JOIN orders AS o ON o.id = m.converted_order_id
    -- Said outright so that PostgreSQL looks the few converting orders up by key instead of hashing them all.
    WHERE m.converted_order_id IS NOT NULL AND o.currency IS NOT NULL AND o.total_amount IS NOT NULL
    UNION ALL
    SELECT o.currency, 0, round(o.total_amount * d.percent / (100 - d.percent), 2)
    FROM checkout_nightly.discount_codes AS d
    JOIN orders AS o ON o.id = d.redeemed_order_id
    WHERE d.redeemed_order_id IS NOT NULL AND d.percent < 100 AND o.currency IS NOT NULL AND o.total_amount IS NOT NULL
) AS amounts
GROUP BY currency
ORDER BY currency;
