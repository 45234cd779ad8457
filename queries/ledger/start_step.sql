-- Records that one step of a run has started ($1 run id, $2 step, $3 start): a row "running" without an end, so
-- that a step whose process is killed or loses the database still shows in the ledger; record_step.sql finishes
-- it, or close_abandoned_runs.sql marks it failed.
INSERT INTO checkout_nightly.step_runs (run_id, step, started_at)
VALUES ($1::uuid, $2::text, $3::timestamptz)
ON CONFLICT (run_id, step) DO NOTHING;
