-- Each step's newest finished runs, newest first ($1: how many per step), for the jobs page and the overview.
SELECT step, started_at, finished_at, outcome, counts::text AS counts, error
FROM (
    SELECT s.*, row_number() OVER (PARTITION BY s.step ORDER BY s.started_at DESC, s.id DESC) AS position
    FROM checkout_nightly.step_runs AS s
    WHERE s.finished_at IS NOT NULL
) AS ranked
WHERE position <= $1::int
ORDER BY step, started_at DESC, id DESC;
