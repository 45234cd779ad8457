-- Completes audit row $1 with the number of files removed from the releases ($2) once that part has finished.
UPDATE checkout_nightly.erasures SET files_removed = $2::int WHERE id = $1::bigint;
