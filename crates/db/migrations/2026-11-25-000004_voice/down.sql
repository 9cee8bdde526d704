-- Development only: production migrations are forward-only.
DROP FUNCTION app_call_for_twilio_sid(text);
DROP FUNCTION app_business_for_twilio_number(text);
DROP POLICY owner_maintenance ON calls;
