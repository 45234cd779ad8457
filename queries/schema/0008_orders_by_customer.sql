-- Cart recovery's "ordered on any cart" rule (docs/recovery.md) looks up a customer's orders after a cart's last
-- activity, once per candidate cart and again in every send transaction: an index probe, not a scan of orders.
-- IF NOT EXISTS: an index the order service already has is kept (as in 0004).
CREATE INDEX IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at);
