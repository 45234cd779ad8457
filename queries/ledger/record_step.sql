-- Records how one step of a run ended ($1 run id, $2 step, $3 start, $4 end, $5 outcome, $6 counts, $7 error).
INSERT INTO checkout_nightly.step_runs (run_id, step, started_at, finished_at, outcome, counts, error)
VALUES ($1::uuid, $2::text, $3::timestamptz, $4::timestamptz, $5::text, $6::jsonb, $7::text)
ON CONFLICT (run_id, step) DO UPDATE
SET finished_at = EXCLUDED.finished_at, outcome = EXCLUDED.outcome, counts = EXCLUDED.counts, error = EXCLUDED.error;
