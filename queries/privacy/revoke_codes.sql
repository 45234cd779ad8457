-- Revokes the customers' $1 (uuid[]) codes not redeemed yet, at $2 (the clock): revoked_at is set and the code
-- expires at once, so a storefront that checks only the expiry refuses it too. Redeemed codes stay as they are
-- (the order has them; the reports count them).
UPDATE checkout_nightly.discount_codes
SET revoked_at = $2::timestamptz,
    expires_at = LEAST(expires_at, GREATEST($2::timestamptz, issued_at + interval '1 second'))
WHERE customer_id = ANY($1::uuid[]) AND redeemed_order_id IS NULL AND revoked_at IS NULL;
