-- Run first in each transaction of the reports step (and by the floor in scripts/bench.sh). JIT compilation
-- off: on a million carts it spent more time compiling the report statements (up to a second each, inlining
-- and optimising expressions) than it saved running them (docs/performance.md).
SET LOCAL jit = off;
