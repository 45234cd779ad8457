-- Creates the batch's schema and the table that records applied migrations.
CREATE SCHEMA IF NOT EXISTS checkout_nightly;
CREATE TABLE IF NOT EXISTS checkout_nightly.schema_migrations (
    version     integer PRIMARY KEY,
    filename    text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
