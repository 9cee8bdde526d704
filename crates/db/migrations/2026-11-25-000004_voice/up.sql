-- Voice: the pre-auth lookups Twilio's webhooks need. No new tables.
--  * app_business_for_twilio_number: incoming_call finds the business by the
--    dialled number (To). Called only after the Twilio signature is verified.
--  * app_call_for_twilio_sid: call_status / handle_recording find the call (and
--    so its business) by CallSid. Same precondition.
-- Both are SECURITY DEFINER with a pinned search_path, return ids only, and are
-- owned by the migration role, which gets the same explicit maintenance policy on
-- calls that it has on businesses (FORCE RLS applies to the owner too).

DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_maintenance ON calls TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

CREATE FUNCTION app_business_for_twilio_number(p_number text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT b.id FROM businesses b WHERE b.twilio_phone_number = p_number $$;
COMMENT ON FUNCTION app_business_for_twilio_number(text) IS
    'Business owning a Twilio number (E.164). Voice webhooks only, after signature validation.';

CREATE FUNCTION app_call_for_twilio_sid(p_call_sid text)
    RETURNS TABLE (business_id uuid, call_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT c.business_id, c.id FROM calls c WHERE c.call_sid = p_call_sid $$;
COMMENT ON FUNCTION app_call_for_twilio_sid(text) IS
    'Business and call of a Twilio CallSid. Voice webhooks only, after signature validation.';

REVOKE ALL ON FUNCTION app_business_for_twilio_number(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_call_for_twilio_sid(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_business_for_twilio_number(text) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_call_for_twilio_sid(text) TO prosaas_app;
