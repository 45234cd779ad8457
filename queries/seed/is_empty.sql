-- Whether the contract tables hold no carts, customers or orders yet (seed fills empty tables only).
SELECT NOT EXISTS (SELECT 1 FROM cart_sessions) AND NOT EXISTS (SELECT 1 FROM customers)
       AND NOT EXISTS (SELECT 1 FROM orders) AS empty;
