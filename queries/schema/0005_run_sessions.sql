-- Which database session ran each run, so a later run can tell a run that is still going from one whose process
-- was killed or crashed (its session is gone) and close the latter as failed instead of leaving it "running".
ALTER TABLE checkout_nightly.runs
    ADD COLUMN backend_pid integer,
    ADD COLUMN backend_start timestamptz;
