-- Least-privilege roles for checkout-nightly, run once per database by a DBA (psql -f deploy/postgres/roles.sql)
-- after `checkout-nightly migrate` has run as the owner role (which needs CREATE on the database for its schema:
-- GRANT CREATE ON DATABASE … TO checkout_nightly_owner). Idempotent. The indexes the batch wants on the order
-- service's tables come from deploy/postgres/indexes.sql, run as their owner. Passwords are set separately
-- (\password ROLE) and reach the batch through PGPASSWORD or ~/.pgpass, never a command line.
--
--   checkout_nightly_owner    owns the schema checkout_nightly; the only role that runs `migrate`
--   checkout_nightly_batch    runs `run`: exactly the reads and writes the passes and the ledger need
--   checkout_nightly_reports  reads for the report queries (`report_database_url`, on a replica)
--
-- The batch can never change a customer or a cart item's content: it reads customers and orders, updates four
-- columns of carts and only the metadata of orders (the retry pass removes confirmed reservation errors), and
-- deletes carts and items only through the cleanup passes.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'checkout_nightly_owner') THEN
        CREATE ROLE checkout_nightly_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'checkout_nightly_batch') THEN
        CREATE ROLE checkout_nightly_batch LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'checkout_nightly_reports') THEN
        CREATE ROLE checkout_nightly_reports LOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public, checkout_nightly TO checkout_nightly_batch, checkout_nightly_reports;

-- The order service's tables. The views in checkout_nightly (the reporting views, and recovery_carts, which also
-- reads customers) read them with their owner's rights, so the owner may read those too; it never owns or
-- changes them (`migrate` leaves them alone).
GRANT SELECT ON customers, orders, cart_sessions, cart_items TO checkout_nightly_batch, checkout_nightly_reports;
GRANT SELECT ON customers, orders, cart_sessions, cart_items TO checkout_nightly_owner;
GRANT UPDATE (status, is_active, metadata, version) ON cart_sessions TO checkout_nightly_batch;
GRANT DELETE ON cart_sessions, cart_items TO checkout_nightly_batch;
GRANT UPDATE (metadata) ON orders TO checkout_nightly_batch;

-- The batch's own tables: the run ledger, the recovery ledger, codes, the outbox and the retry ledger. The reports role reads every
-- table but the rendered messages, their headers and the link tokens' hashes: the outbox and the recovery ledger
-- only by the columns that hold none of those (given anew from the catalogue, so a rerun after a migration
-- adds new columns and takes back an earlier table-wide grant).
GRANT SELECT ON ALL TABLES IN SCHEMA checkout_nightly TO checkout_nightly_batch, checkout_nightly_reports;
REVOKE SELECT ON checkout_nightly.notification_outbox, checkout_nightly.recovery_messages FROM checkout_nightly_reports;
DO $$
DECLARE
    sensitive CONSTANT jsonb := '{"notification_outbox": ["recipient", "subject", "html", "text", "headers"],
                                  "recovery_messages": ["token_hash", "unsubscribe_token_hash"]}';
    readable text;
    name text;
BEGIN
    FOR name IN SELECT jsonb_object_keys(sensitive) LOOP
        SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO readable
        FROM information_schema.columns
        WHERE table_schema = 'checkout_nightly' AND table_name = name
          AND NOT (sensitive -> name) ? column_name;
        EXECUTE format('GRANT SELECT (%s) ON checkout_nightly.%I TO checkout_nightly_reports', readable, name);
    END LOOP;
END
$$;
GRANT INSERT, UPDATE ON checkout_nightly.runs, checkout_nightly.step_runs, checkout_nightly.recovery_messages,
    checkout_nightly.recovery_holdouts, checkout_nightly.discount_codes, checkout_nightly.reservation_retries,
    checkout_nightly.reservation_retry_attempts TO checkout_nightly_batch;
GRANT INSERT ON checkout_nightly.notification_outbox TO checkout_nightly_batch;
-- Retention and `forget` (docs/privacy.md): clear the outbox's personal content, cancel pending notifications,
-- and record each erasure (counts only).
GRANT UPDATE (recipient, subject, html, text, headers, cancelled_at, content_cleared_at)
    ON checkout_nightly.notification_outbox TO checkout_nightly_batch;
GRANT INSERT, UPDATE (files_removed) ON checkout_nightly.erasures TO checkout_nightly_batch;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA checkout_nightly TO checkout_nightly_batch;
