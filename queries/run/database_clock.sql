-- The database server's clock: the run's default `now`, and what `--now` and the host's clock are compared with
-- (every timestamp the batch compares was written by this clock).
SELECT now() AS now;
