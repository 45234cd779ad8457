-- The customer ids a `forget` request names ($1 a customer id or NULL, $2 an e-mail address or NULL, compared
-- case-insensitively): the order service's customer with that id or address, and every customer the recovery
-- ledger addressed at that address (the customer row may be gone or its address changed since).
SELECT id AS customer_id FROM customers
WHERE id = $1::uuid OR lower(email) = lower($2::text)
UNION
SELECT customer_id FROM checkout_nightly.recovery_messages
WHERE customer_id = $1::uuid OR (channel = 'email' AND lower(recipient) = lower($2::text));
