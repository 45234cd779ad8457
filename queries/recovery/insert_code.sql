-- Issues one discount code ($1 code, $2 percent, $3 customer, $4 cart, $5 issued, $6 expires). No row comes back
-- when the code already exists (the unique constraint decides); the caller then draws another.
INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
VALUES ($1::text, $2::int, $3::uuid, $4::uuid, $5::timestamptz, $6::timestamptz)
ON CONFLICT ON CONSTRAINT discount_codes_code_unique DO NOTHING
RETURNING code;
