-- Before candidates.sql, in its transaction (docs/performance.md): no JIT compilation, which PostgreSQL would
-- choose from the read's cost and which takes longer than it saves (0.2 to 0.6 s measured on a million carts,
-- once per parallel worker); and memory enough (work_mem: per sort or hash, not per statement) that the hash
-- aggregate and the sort of a quarter of a million rows stay in memory instead of spilling to disk.
SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)
