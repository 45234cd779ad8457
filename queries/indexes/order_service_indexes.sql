-- The indexes the batch wants on the order service's tables: the passes' and the reports' look-ups stay index
-- scans. `migrate` never builds them on tables it did not create (it would need to own them, and a plain CREATE
-- INDEX blocks checkout writes while it builds). A DBA runs this file as the tables' owner, outside a
-- transaction (CONCURRENTLY cannot run in one):
--
--     psql -v ON_ERROR_STOP=1 -f deploy/postgres/indexes.sql
--
-- CONCURRENTLY builds without blocking writes; IF NOT EXISTS makes the file safe to run again. A build that fails
-- leaves an INVALID index behind: drop it (DROP INDEX CONCURRENTLY name) and run the file again. `run` names
-- each index missing from the database in a warning, with its statement. One statement per index, each ending
-- in a semicolon at the end of a line.
CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_items_cart_session_id_idx ON cart_items (cart_session_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_sessions_checkout_with_order_idx
    ON cart_sessions (updated_at) WHERE status = 'checkout' AND order_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_sessions_expires_at_idx ON cart_sessions (expires_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_sessions_active_updated_at_idx
    ON cart_sessions (updated_at) WHERE status = 'active';
CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_sessions_customer_id_idx ON cart_sessions (customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_cart_session_id_idx ON orders (cart_session_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_with_reservation_errors_idx
    ON orders (created_at) WHERE metadata ? 'reservation_confirmation_errors';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_discount_code_idx ON orders (discount_code) WHERE discount_code IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders (customer_id, created_at);
