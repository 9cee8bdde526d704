-- CRM integration: per-business API keys (n8n), outgoing webhook subscriptions
-- with a durable outbox of deliveries, and the event log that SSE clients replay
-- from after a reconnect. Additive only; every table is a tenant table with the
-- standard pattern (business_id NOT NULL + index, composite FKs, ENABLE + FORCE
-- RLS with the one policy, created_at/updated_at + trigger, COMMENT).

-- api_keys -----------------------------------------------------------------------
CREATE TABLE api_keys (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id        uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- first characters of the key, shown in lists so owners can tell keys apart
    prefix             text NOT NULL,
    -- SHA-256 of the whole key: keys are 256 random bits, a slow hash adds nothing
    key_hash           bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_by_user_id uuid,
    last_used_at       timestamptz,
    revoked_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_keys_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT api_keys_created_by_fkey FOREIGN KEY (business_id, created_by_user_id)
        REFERENCES users (business_id, id) ON DELETE SET NULL (created_by_user_id)
);
COMMENT ON TABLE api_keys IS 'Bearer keys (n8n, integrations) that act as one business with the api_key role; only a SHA-256 is stored.';
CREATE INDEX api_keys_business_idx ON api_keys (business_id, created_at DESC);
CREATE TRIGGER api_keys_updated_at BEFORE UPDATE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO prosaas_app;

-- webhook_subscriptions ----------------------------------------------------------
CREATE TABLE webhook_subscriptions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    url         text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
    description text NOT NULL DEFAULT '',
    -- HMAC-SHA256 key for the signature header; must be readable to sign with
    secret      text NOT NULL CHECK (length(secret) >= 32),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_subscriptions_business_id_id_key UNIQUE (business_id, id)
);
COMMENT ON TABLE webhook_subscriptions IS 'Outgoing webhooks of one business: a URL and the event types it wants, signed with its secret.';
CREATE INDEX webhook_subscriptions_business_idx ON webhook_subscriptions (business_id, created_at DESC);
CREATE TRIGGER webhook_subscriptions_updated_at BEFORE UPDATE ON webhook_subscriptions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE webhook_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_subscriptions
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_subscriptions TO prosaas_app;

-- webhook_deliveries: the outbox and the delivery log in one ----------------------
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id      uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    subscription_id  uuid NOT NULL,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- pending: when the worker may (re)try; while an attempt is in flight this is
    -- the end of its lease, so a crashed worker's delivery becomes due again
    next_attempt_at  timestamptz DEFAULT now(),
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT webhook_deliveries_once UNIQUE (subscription_id, event_id),
    CONSTRAINT webhook_deliveries_subscription_fkey FOREIGN KEY (business_id, subscription_id)
        REFERENCES webhook_subscriptions (business_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE webhook_deliveries IS 'Outbox of webhook deliveries, written in the transaction of the change; also the delivery log.';
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (business_id, subscription_id, created_at DESC);
-- the delivery worker looks only at pending rows
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE TRIGGER webhook_deliveries_updated_at BEFORE UPDATE ON webhook_deliveries
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO prosaas_app;

-- event_log: what SSE clients replay after a reconnect (Last-Event-ID) -----------
CREATE TABLE event_log (
    id          uuid PRIMARY KEY,
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    -- replay order; written by one recorder per api process
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    kind        text NOT NULL,
    data        jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE event_log IS 'Recent bus events per business (about an hour), replayed to SSE clients that reconnect with Last-Event-ID.';
CREATE INDEX event_log_business_seq_idx ON event_log (business_id, seq);
CREATE INDEX event_log_business_created_idx ON event_log (business_id, created_at);
CREATE TRIGGER event_log_updated_at BEFORE UPDATE ON event_log
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE event_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON event_log
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON event_log TO prosaas_app;

-- outbox triggers -----------------------------------------------------------------
-- Enqueue one delivery per active subscription of the row's business that wants
-- the event type. Runs with the caller's rights inside the caller's transaction,
-- so RLS (app.business_id) applies and the delivery commits or rolls back with
-- the change itself, whichever service made it.
CREATE FUNCTION webhook_enqueue(p_business uuid, p_type text, p_data jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
    DECLARE
        v_event uuid := gen_random_uuid();
        v_at timestamptz := now();
    BEGIN
        INSERT INTO webhook_deliveries (business_id, subscription_id, event_id, event_type, payload)
        SELECT s.business_id, s.id, v_event, p_type,
               jsonb_build_object('id', v_event, 'type', p_type, 'business_id', p_business,
                                  'occurred_at', v_at, 'data', p_data)
        FROM webhook_subscriptions s
        WHERE s.business_id = p_business AND s.active AND p_type = ANY (s.event_types);
    END
    $$;
COMMENT ON FUNCTION webhook_enqueue(uuid, text, jsonb) IS
    'Writes webhook outbox rows for one event; called by the table triggers below.';

CREATE FUNCTION webhook_leads_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM webhook_enqueue(NEW.business_id, 'lead.created', to_jsonb(NEW));
        ELSIF TG_OP = 'UPDATE' THEN
            IF (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
                PERFORM webhook_enqueue(NEW.business_id, 'lead.updated', to_jsonb(NEW));
            END IF;
        ELSE
            PERFORM webhook_enqueue(OLD.business_id, 'lead.deleted', to_jsonb(OLD));
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER leads_webhooks AFTER INSERT OR UPDATE OR DELETE ON leads
    FOR EACH ROW EXECUTE FUNCTION webhook_leads_trigger();

CREATE FUNCTION webhook_tasks_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM webhook_enqueue(NEW.business_id, 'task.created', to_jsonb(NEW));
        ELSIF TG_OP = 'UPDATE' THEN
            IF OLD.due_notified_at IS NULL AND NEW.due_notified_at IS NOT NULL THEN
                PERFORM webhook_enqueue(NEW.business_id, 'task.due', to_jsonb(NEW));
            END IF;
            IF (to_jsonb(NEW) - 'updated_at' - 'due_notified_at')
               IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'due_notified_at') THEN
                PERFORM webhook_enqueue(NEW.business_id, 'task.updated', to_jsonb(NEW));
            END IF;
        ELSE
            PERFORM webhook_enqueue(OLD.business_id, 'task.deleted', to_jsonb(OLD));
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER tasks_webhooks AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION webhook_tasks_trigger();

CREATE FUNCTION webhook_calls_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    DECLARE
        v_ended text[] := ARRAY['completed', 'busy', 'failed', 'no-answer', 'canceled'];
    BEGIN
        IF NEW.status = ANY (v_ended)
           AND (TG_OP = 'INSERT' OR NOT (OLD.status = ANY (v_ended))) THEN
            PERFORM webhook_enqueue(NEW.business_id, 'call.ended', to_jsonb(NEW) - 'transcript');
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER calls_webhooks AFTER INSERT OR UPDATE OF status ON calls
    FOR EACH ROW EXECUTE FUNCTION webhook_calls_trigger();

CREATE FUNCTION webhook_notifications_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        PERFORM webhook_enqueue(NEW.business_id, 'notification.created', to_jsonb(NEW));
        RETURN NULL;
    END
    $$;
CREATE TRIGGER notifications_webhooks AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION webhook_notifications_trigger();

-- pre-auth and worker lookups (SECURITY DEFINER, owner reads through a maintenance policy)
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_maintenance ON api_keys TO %I USING (true) WITH CHECK (true)', current_user);
    EXECUTE format('CREATE POLICY owner_maintenance ON webhook_deliveries TO %I USING (true) WITH CHECK (true)', current_user);
    EXECUTE format('CREATE POLICY owner_maintenance ON tasks TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

-- Bearer authentication: the key's business and id, for a live key only.
CREATE FUNCTION app_api_key_lookup(p_key_hash bytea)
    RETURNS TABLE (api_key_id uuid, business_id uuid)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
    BEGIN
        -- last_used_at is bumped at most once a minute to keep reads cheap
        UPDATE api_keys k SET last_used_at = now()
            WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
              AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
        RETURN QUERY
            SELECT k.id, k.business_id FROM api_keys k
            WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL;
    END
    $$;

-- Workers: which businesses have work due (ids only; the work itself runs scoped).
CREATE FUNCTION app_webhook_due_businesses(p_limit integer)
    RETURNS TABLE (business_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT d.business_id FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        LIMIT p_limit
    $$;

CREATE FUNCTION app_tasks_due_businesses(p_limit integer)
    RETURNS TABLE (business_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT t.business_id FROM tasks t
        WHERE t.done_at IS NULL AND t.due_notified_at IS NULL AND t.due_at <= now()
        LIMIT p_limit
    $$;

REVOKE ALL ON FUNCTION app_api_key_lookup(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_webhook_due_businesses(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_tasks_due_businesses(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_api_key_lookup(bytea) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_webhook_due_businesses(integer) TO prosaas_app;
GRANT EXECUTE ON FUNCTION app_tasks_due_businesses(integer) TO prosaas_app;
