-- The reservation-confirmation retry pass (plan task 2.6, docs/reservation-retry.md): one row per failed
-- confirmation taken into the schedule, and one row per attempt at confirming it (the attempt ledger). An
-- attempt is recorded "in_flight" and committed before its call is made, then resolved with its answer, so a
-- killed run neither loses an attempt nor repeats one unrecorded. The in-flight marker on the error row, set by
-- the claim under FOR UPDATE SKIP LOCKED, keeps two copies from calling for the same error at once.
CREATE TABLE checkout_nightly.reservation_retries (
    order_id                  uuid NOT NULL,
    reservation_id            text NOT NULL CHECK (reservation_id <> ''),
    -- The error entry exactly as enrolled: confirming removes precisely this element from orders.metadata.
    entry                     jsonb NOT NULL CHECK (jsonb_typeof(entry) = 'object'),
    order_number              text,
    sku                       text,
    warehouse_id              text,
    -- Sent as the Idempotency-Key of every attempt (SHA-256 of order and reservation: header-safe).
    idempotency_key           text NOT NULL CHECK (idempotency_key ~ '^[0-9a-f]{64}$'),
    enrolled_at               timestamptz NOT NULL,
    -- withdrawn: the entry left the order's metadata by other means (a person reconciled it).
    state                     text NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'confirmed', 'exhausted', 'withdrawn')),
    -- Attempts that counted (answered or failed; a refused token does not count).
    attempts                  integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at           timestamptz,
    exhausted_reason          text CHECK (exhausted_reason IN
                              ('reservation_not_found', 'reservation_expired', 'insufficient_stock', 'attempts_exhausted')),
    last_attempt_at           timestamptz,
    last_answer               text,
    resolved_at               timestamptz,
    -- Set while an attempt's call is in flight, with the database session making it.
    in_flight_attempt         integer,
    claimed_by_pid            integer,
    claimed_by_backend_start  timestamptz,
    PRIMARY KEY (order_id, reservation_id),
    CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
    -- A withdrawn error keeps the reason it was exhausted for, if it was.
    CHECK (state <> 'exhausted' OR exhausted_reason IS NOT NULL)
);

CREATE INDEX reservation_retries_due_idx ON checkout_nightly.reservation_retries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX reservation_retries_resolved_idx ON checkout_nightly.reservation_retries (state, resolved_at DESC);

CREATE TABLE checkout_nightly.reservation_retry_attempts (
    id               bigserial PRIMARY KEY,
    order_id         uuid NOT NULL,
    reservation_id   text NOT NULL,
    attempt          integer NOT NULL CHECK (attempt >= 1),
    run_id           uuid NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    http_status      integer,
    -- The transport failure (timeout, connection_refused, …) when there was no HTTP answer.
    error            text,
    duration_ms      integer,
    outcome          text NOT NULL DEFAULT 'in_flight' CHECK (outcome IN
                     ('in_flight', 'interrupted', 'confirmed', 'already_confirmed', 'permanent', 'overloaded',
                      'transient', 'unauthorized')),
    next_attempt_at  timestamptz,
    FOREIGN KEY (order_id, reservation_id) REFERENCES checkout_nightly.reservation_retries (order_id, reservation_id)
);

CREATE INDEX reservation_retry_attempts_error_idx
    ON checkout_nightly.reservation_retry_attempts (order_id, reservation_id, attempt);

-- Every element of every order's reservation_confirmation_errors array (none when the value is not an array), with
-- its reservation_id when that is a non-empty string (NULL otherwise: such entries are never called). The pass
-- filters it by the order's created_at.
CREATE VIEW checkout_nightly.reservation_error_entries AS
SELECT o.id AS order_id, o.order_number, o.created_at, e.value AS entry,
       CASE WHEN jsonb_typeof(e.value -> 'reservation_id') = 'string' AND e.value ->> 'reservation_id' <> ''
            THEN e.value ->> 'reservation_id' END AS reservation_id
FROM orders AS o
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(o.metadata -> 'reservation_confirmation_errors') = 'array'
         THEN o.metadata -> 'reservation_confirmation_errors' ELSE '[]'::jsonb END) AS e (value);
