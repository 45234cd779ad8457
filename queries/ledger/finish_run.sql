-- Closes a run ($1 run id, $2 end, $3 outcome, $4 error or NULL).
UPDATE checkout_nightly.runs SET finished_at = $2::timestamptz, outcome = $3::text, error = $4::text
WHERE run_id = $1::uuid;
