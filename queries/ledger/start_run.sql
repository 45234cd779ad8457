-- Opens a run in the ledger ($1 run id, $2 start, $3 selected steps, $4 dry run, $5 host), with the database
-- session that runs it (see close_abandoned_runs.sql).
INSERT INTO checkout_nightly.runs (run_id, started_at, steps, dry_run, host, backend_pid, backend_start)
SELECT $1::uuid, $2::timestamptz, $3::text[], $4::boolean, $5::text, a.pid, a.backend_start
FROM pg_stat_activity AS a
WHERE a.pid = pg_backend_pid();
