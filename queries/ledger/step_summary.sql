-- Per step and outcome: how many runs the ledger holds, and when the step last ran and last succeeded.
-- Cumulative counters derive from these rows, so they survive the loss of the machine that ran the batch.
SELECT step, outcome, count(*)::bigint AS runs,
       max(finished_at) AS last_finished_at
FROM checkout_nightly.step_runs
WHERE finished_at IS NOT NULL
GROUP BY step, outcome
ORDER BY step, outcome;
