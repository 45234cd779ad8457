-- Locks the customer for the rest of the send transaction ($1 customer id): concurrent sends to the same customer
-- queue here, so each sees the other's message when it checks the per-customer cap, and consent or bounce
-- changes wait until the message is recorded (milliseconds).
SELECT id FROM customers WHERE id = $1::uuid FOR NO KEY UPDATE;
