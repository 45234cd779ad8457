-- Fresh statistics, so the batch's first plans on the seeded tables are good ones.
ANALYZE customers, cart_sessions, cart_items, orders;
