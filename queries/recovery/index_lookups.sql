-- The second statement of a send transaction, after BEGIN: every statement of the transaction looks up one cart,
-- its customer and their rows, and must do it through the indexes whatever the planner's statistics say. On the
-- night recovery is switched on, the ledger tables (recovery_messages, recovery_holdouts) were analyzed while
-- empty, so the planner takes scanning them for the cheapest way, and the re-read grows slower with every message
-- recorded until autovacuum analyzes them again (measured on a million carts: 1,100 messages a second falling to
-- 500 within 20 s, then 1,400 once analyzed). Local to the transaction: the candidate read still scans.
SET LOCAL enable_seqscan = off
