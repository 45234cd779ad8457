-- The most recent step runs, newest first ($1: how many).
SELECT r.run_id, s.step, s.started_at, s.finished_at, s.outcome, s.counts::text AS counts, s.error, r.dry_run
FROM checkout_nightly.step_runs AS s
JOIN checkout_nightly.runs AS r USING (run_id)
ORDER BY s.started_at DESC, s.id DESC
LIMIT $1::int;
