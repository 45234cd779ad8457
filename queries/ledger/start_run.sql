-- Opens a run in the ledger ($1 run id, $2 start, $3 selected steps, $4 dry run, $5 host).
INSERT INTO checkout_nightly.runs (run_id, started_at, steps, dry_run, host)
VALUES ($1::uuid, $2::timestamptz, $3::text[], $4::boolean, $5::text);
