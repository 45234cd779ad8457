-- Per step and count name, the sum over every finished run in the ledger: the source of cumulative counters.
SELECT s.step, c.key AS name, sum(c.value::bigint)::bigint AS total
FROM checkout_nightly.step_runs AS s
CROSS JOIN LATERAL jsonb_each_text(s.counts) AS c
WHERE s.finished_at IS NOT NULL AND c.value ~ '^-?[0-9]+$'
GROUP BY s.step, c.key
ORDER BY s.step, c.key;
