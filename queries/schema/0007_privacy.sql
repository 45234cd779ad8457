-- Privacy (issue 15): erasure on request (`checkout-nightly forget`) and retention. Cleared rows keep every
-- column the reports count by (stage, channel, locale, times, codes, conversions); the personal fields hold the
-- marker '[erased]' and the row says when and why they were cleared. Cancelled and revoked are states of their
-- own, so the notification service and the storefront can tell them apart from dispatched and expired.
ALTER TABLE checkout_nightly.recovery_messages
    -- When the recipient and subject were replaced by the marker (by `forget` or by retention).
    ADD COLUMN personal_data_cleared_at timestamptz;

ALTER TABLE checkout_nightly.notification_outbox
    -- Set by `forget` on a row not dispatched yet: the notification service must not send it.
    ADD COLUMN cancelled_at timestamptz,
    -- When recipient, subject, bodies and headers were replaced by the marker (by `forget` or by retention).
    ADD COLUMN content_cleared_at timestamptz;

ALTER TABLE checkout_nightly.discount_codes
    -- Set by `forget` on a code not redeemed yet; its expires_at is brought forward to the same time.
    ADD COLUMN revoked_at timestamptz;

-- What the notification service reads: rows neither dispatched nor cancelled, oldest first.
DROP INDEX checkout_nightly.notification_outbox_pending_idx;
CREATE INDEX notification_outbox_pending_idx
    ON checkout_nightly.notification_outbox (created_at) WHERE dispatched_at IS NULL AND cancelled_at IS NULL;
-- Retention looks for dispatched rows whose content is still there.
CREATE INDEX notification_outbox_content_retained_idx
    ON checkout_nightly.notification_outbox (dispatched_at) WHERE content_cleared_at IS NULL AND dispatched_at IS NOT NULL;
CREATE INDEX recovery_messages_personal_data_retained_idx
    ON checkout_nightly.recovery_messages (created_at) WHERE personal_data_cleared_at IS NULL;

-- One row per `forget` that changed or would have changed something: when, who, and how many rows and files
-- were cleared. Never the customer's id, address or name: the audit proves the erasure without undoing it.
CREATE TABLE checkout_nightly.erasures (
    id                  bigserial PRIMARY KEY,
    erased_at           timestamptz NOT NULL,
    -- The operating-system user that ran the command and the database role it connected as.
    os_user             text NOT NULL,
    database_role       text NOT NULL DEFAULT current_user,
    -- How the customer was named on the command line: 'customer_id' or 'email' (never the value).
    identified_by       text NOT NULL CHECK (identified_by IN ('customer_id', 'email')),
    messages_cleared    integer NOT NULL CHECK (messages_cleared >= 0),
    outbox_cancelled    integer NOT NULL CHECK (outbox_cancelled >= 0),
    outbox_cleared      integer NOT NULL CHECK (outbox_cleared >= 0),
    codes_revoked       integer NOT NULL CHECK (codes_revoked >= 0),
    -- Files removed from the releases under the output folder; NULL until that part has finished.
    files_removed       integer CHECK (files_removed >= 0)
);
