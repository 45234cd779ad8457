-- The batch's own run ledger (DESIGN.md §3): one row per run, one row per step of a run.
CREATE TABLE checkout_nightly.runs (
    run_id       uuid PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    outcome      text NOT NULL DEFAULT 'running'
                 CHECK (outcome IN ('running', 'succeeded', 'failed')),
    steps        text[] NOT NULL,
    dry_run      boolean NOT NULL DEFAULT false,
    host         text NOT NULL,
    error        text
);

CREATE TABLE checkout_nightly.step_runs (
    id           bigserial PRIMARY KEY,
    run_id       uuid NOT NULL REFERENCES checkout_nightly.runs (run_id) ON DELETE CASCADE,
    step         text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    outcome      text NOT NULL DEFAULT 'running'
                 CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped', 'stopped_early')),
    counts       jsonb NOT NULL DEFAULT '{}',
    error        text,
    UNIQUE (run_id, step)
);

CREATE INDEX step_runs_step_started_at_idx ON checkout_nightly.step_runs (step, started_at DESC);
CREATE INDEX runs_started_at_idx ON checkout_nightly.runs (started_at DESC);
