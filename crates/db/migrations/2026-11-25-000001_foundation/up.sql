-- Foundation: the application role, the tenant GUC helpers, businesses, users,
-- browser sessions and the audit log.
--
-- Walls (see docs/adr/0003-tenant-wall.md):
--  * services log in as prosaas_app: NOSUPERUSER NOBYPASSRLS, DML grants only;
--  * every tenant table has ENABLE + FORCE row level security and one policy on
--    app_current_business(), which is NULL (matches nothing) when unset;
--  * pre-auth lookups (login, session) are SECURITY DEFINER functions owned by
--    the migration role, which gets an explicit maintenance policy because FORCE
--    applies RLS to the table owner too.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prosaas_app') THEN
        CREATE ROLE prosaas_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO prosaas_app;

CREATE FUNCTION app_current_business() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.business_id', true), '')::uuid $$;
COMMENT ON FUNCTION app_current_business() IS
    'The business of the current scoped transaction; NULL (fail-closed) when unset.';

CREATE FUNCTION app_cross_tenant() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.cross_tenant', true), '') = 'on' $$;
COMMENT ON FUNCTION app_cross_tenant() IS
    'True only inside the audited system-admin cross-tenant path (prosaas_tenant::system).';

CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- businesses ---------------------------------------------------------------
CREATE TABLE businesses (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL CHECK (length(btrim(name)) > 0),
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    twilio_phone_number text UNIQUE CHECK (twilio_phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    whatsapp_phone      text CHECK (whatsapp_phone ~ '^\+[1-9][0-9]{6,14}$'),
    timezone            text NOT NULL DEFAULT 'Asia/Jerusalem',
    locale              text NOT NULL DEFAULT 'he' CHECK (locale IN ('he', 'en')),
    ai_prompt           text NOT NULL DEFAULT '',
    ai_greeting         text NOT NULL DEFAULT '',
    ai_voice            text NOT NULL DEFAULT 'alloy',
    ai_language         text NOT NULL DEFAULT 'he',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE businesses IS 'Tenants. A business is found by its own E.164 Twilio number.';
CREATE TRIGGER businesses_updated_at BEFORE UPDATE ON businesses
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE businesses ENABLE ROW LEVEL SECURITY;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON businesses
    USING (id = app_current_business() OR app_cross_tenant())
    WITH CHECK (id = app_current_business() OR app_cross_tenant());
GRANT SELECT, INSERT, UPDATE ON businesses TO prosaas_app;

-- users ----------------------------------------------------------------------
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id   uuid REFERENCES businesses (id) ON DELETE RESTRICT,
    email         text NOT NULL CHECK (position('@' IN email) > 1),
    password_hash text NOT NULL,
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('system_admin', 'owner', 'admin', 'agent')),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_business_matches_role CHECK ((role = 'system_admin') = (business_id IS NULL)),
    -- target of composite foreign keys: a row can only point at a user of its own business
    CONSTRAINT users_business_id_id_key UNIQUE (business_id, id)
);
COMMENT ON TABLE users IS 'People who sign in. business_id is NULL only for system_admin.';
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_business_id_idx ON users (business_id);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (business_id = app_current_business() OR app_cross_tenant())
    WITH CHECK (business_id = app_current_business() OR app_cross_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO prosaas_app;

-- sessions: never touched by prosaas_app directly, only through the functions below
CREATE TABLE user_sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash   bytea NOT NULL UNIQUE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ip           text,
    user_agent   text
);
COMMENT ON TABLE user_sessions IS 'Browser sessions; only SHA-256 of the token is stored.';
CREATE INDEX user_sessions_user_id_idx ON user_sessions (user_id);
CREATE INDEX user_sessions_expires_at_idx ON user_sessions (expires_at);
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;
REVOKE ALL ON user_sessions FROM prosaas_app;

-- audit log: append-only for the app
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id   uuid,
    actor_user_id uuid,
    actor_kind    text NOT NULL CHECK (actor_kind IN ('user', 'system_admin', 'operator', 'service')),
    action        text NOT NULL,
    target_type   text,
    target_id     text,
    detail        jsonb NOT NULL DEFAULT '{}'::jsonb,
    at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE audit_log IS
    'Who did what. Every system-admin crossing into a business writes a row here.';
CREATE INDEX audit_log_business_id_at_idx ON audit_log (business_id, at DESC);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (business_id = app_current_business() OR app_cross_tenant())
    WITH CHECK (business_id = app_current_business() OR app_cross_tenant());
GRANT SELECT, INSERT ON audit_log TO prosaas_app;

-- The migration role reads these tables from the SECURITY DEFINER functions.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_maintenance ON businesses TO %I USING (true) WITH CHECK (true)', current_user);
    EXECUTE format('CREATE POLICY owner_maintenance ON users TO %I USING (true) WITH CHECK (true)', current_user);
    EXECUTE format('CREATE POLICY owner_maintenance ON user_sessions TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

-- pre-auth functions ---------------------------------------------------------
CREATE FUNCTION app_login_lookup(p_email text)
    RETURNS TABLE (user_id uuid, business_id uuid, password_hash text, role text, active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT u.id, u.business_id, u.password_hash, u.role, u.active
        FROM users u WHERE lower(u.email) = lower(p_email)
    $$;

CREATE FUNCTION app_session_create(p_user_id uuid, p_token_hash bytea, p_ttl_seconds integer, p_ip text, p_user_agent text)
    RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    DECLARE
        v_expires timestamptz := now() + make_interval(secs => p_ttl_seconds);
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_user_id AND active) THEN
            RAISE EXCEPTION 'user is not active' USING ERRCODE = 'P0002';
        END IF;
        INSERT INTO user_sessions (token_hash, user_id, expires_at, ip, user_agent)
            VALUES (p_token_hash, p_user_id, v_expires, p_ip, left(p_user_agent, 512));
        DELETE FROM user_sessions WHERE expires_at < now() - interval '1 day';
        RETURN v_expires;
    END
    $$;

CREATE FUNCTION app_session_lookup(p_token_hash bytea)
    RETURNS TABLE (user_id uuid, business_id uuid, email text, name text, role text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        -- last_seen_at is bumped at most once a minute to keep reads cheap
        UPDATE user_sessions s SET last_seen_at = now()
            WHERE s.token_hash = p_token_hash AND s.last_seen_at < now() - interval '1 minute';
        RETURN QUERY
            SELECT u.id, u.business_id, u.email, u.name, u.role
            FROM user_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.active;
    END
    $$;

CREATE FUNCTION app_session_delete(p_token_hash bytea) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ DELETE FROM user_sessions WHERE token_hash = p_token_hash $$;

CREATE FUNCTION app_sessions_revoke_user(p_user_id uuid) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ DELETE FROM user_sessions WHERE user_id = p_user_id $$;

REVOKE ALL ON FUNCTION app_login_lookup(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_session_create(uuid, bytea, integer, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_session_lookup(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_session_delete(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_sessions_revoke_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_login_lookup(text) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_session_create(uuid, bytea, integer, text, text) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_session_lookup(bytea) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_session_delete(bytea) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_sessions_revoke_user(uuid) TO prosaas_app;
