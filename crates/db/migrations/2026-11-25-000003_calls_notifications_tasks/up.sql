-- Calls, notifications and tasks: the tables the voice agent, the WhatsApp
-- assistant and the CRM all write to. Same pattern as leads: business_id NOT NULL
-- + index, composite FKs to parents of the same business, ENABLE + FORCE RLS with
-- the one standard policy, created_at/updated_at. Additive only.

-- business settings used by the voice agent, WhatsApp and offers
ALTER TABLE businesses
    ADD COLUMN fallback_phone text CHECK (fallback_phone ~ '^\+[1-9][0-9]{6,14}$'),
    ADD COLUMN record_calls boolean NOT NULL DEFAULT false,
    ADD COLUMN whatsapp_auto_reply boolean NOT NULL DEFAULT true,
    ADD COLUMN vat_rate_bp integer NOT NULL DEFAULT 1800 CHECK (vat_rate_bp BETWEEN 0 AND 10000);
COMMENT ON COLUMN businesses.fallback_phone IS 'E.164 number transfer_to_human redirects a live call to.';
COMMENT ON COLUMN businesses.vat_rate_bp IS 'VAT rate in basis points (1800 = 18%).';

-- calls ----------------------------------------------------------------------
CREATE TABLE calls (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id                uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    lead_id                    uuid,
    direction                  text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    call_sid                   text UNIQUE,
    from_phone                 text NOT NULL DEFAULT '',
    to_phone                   text NOT NULL DEFAULT '',
    status                     text NOT NULL DEFAULT 'queued' CHECK (status IN
        ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled')),
    started_at                 timestamptz NOT NULL DEFAULT now(),
    answered_at                timestamptz,
    ended_at                   timestamptz,
    duration_seconds           integer CHECK (duration_seconds >= 0),
    recording_sid              text,
    recording_url              text,
    recording_duration_seconds integer CHECK (recording_duration_seconds >= 0),
    transcript                 jsonb NOT NULL DEFAULT '[]'::jsonb,
    summary                    text,
    first_response_ms          integer CHECK (first_response_ms >= 0),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calls_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT calls_lead_fkey FOREIGN KEY (business_id, lead_id)
        REFERENCES leads (business_id, id) ON DELETE SET NULL (lead_id)
);
COMMENT ON TABLE calls IS 'Phone calls of one business (Twilio), with transcript and AI summary.';
CREATE INDEX calls_business_started_idx ON calls (business_id, started_at DESC, id);
CREATE INDEX calls_business_lead_idx ON calls (business_id, lead_id);
CREATE INDEX calls_business_status_idx ON calls (business_id, status);
CREATE TRIGGER calls_updated_at BEFORE UPDATE ON calls
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE calls FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calls
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON calls TO prosaas_app;

-- notifications ----------------------------------------------------------------
CREATE TABLE notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    -- NULL: for everyone in the business; else for one user
    user_id     uuid,
    kind        text NOT NULL CHECK (length(kind) > 0),
    title       text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    link        text,
    data        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT notifications_user_fkey FOREIGN KEY (business_id, user_id)
        REFERENCES users (business_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE notifications IS 'Things a business (or one of its users) should look at: missed calls, messages, due tasks.';
CREATE INDEX notifications_business_created_idx ON notifications (business_id, created_at DESC, id);
CREATE INDEX notifications_business_user_idx ON notifications (business_id, user_id);
CREATE TRIGGER notifications_updated_at BEFORE UPDATE ON notifications
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON notifications TO prosaas_app;

-- read state per user (a business-wide notification is read or unread per person)
CREATE TABLE notification_reads (
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    notification_id uuid NOT NULL,
    user_id         uuid NOT NULL,
    read_at         timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, user_id),
    CONSTRAINT notification_reads_notification_fkey FOREIGN KEY (business_id, notification_id)
        REFERENCES notifications (business_id, id) ON DELETE CASCADE,
    CONSTRAINT notification_reads_user_fkey FOREIGN KEY (business_id, user_id)
        REFERENCES users (business_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE notification_reads IS 'Which user has read which notification.';
CREATE INDEX notification_reads_business_user_idx ON notification_reads (business_id, user_id);
ALTER TABLE notification_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_reads
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_reads TO prosaas_app;

-- tasks ------------------------------------------------------------------------
CREATE TABLE tasks (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id        uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    title              text NOT NULL CHECK (length(btrim(title)) > 0),
    description        text NOT NULL DEFAULT '',
    lead_id            uuid,
    assignee_user_id   uuid,
    created_by_user_id uuid,
    source             text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'call', 'whatsapp', 'api')),
    due_at             timestamptz,
    done_at            timestamptz,
    due_notified_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT tasks_lead_fkey FOREIGN KEY (business_id, lead_id)
        REFERENCES leads (business_id, id) ON DELETE SET NULL (lead_id),
    CONSTRAINT tasks_assignee_fkey FOREIGN KEY (business_id, assignee_user_id)
        REFERENCES users (business_id, id) ON DELETE SET NULL (assignee_user_id),
    CONSTRAINT tasks_created_by_fkey FOREIGN KEY (business_id, created_by_user_id)
        REFERENCES users (business_id, id) ON DELETE SET NULL (created_by_user_id)
);
COMMENT ON TABLE tasks IS 'To-dos of one business: callbacks the AI scheduled, follow-ups, reminders.';
CREATE INDEX tasks_business_due_idx ON tasks (business_id, due_at, id);
CREATE INDEX tasks_business_assignee_idx ON tasks (business_id, assignee_user_id);
CREATE INDEX tasks_business_lead_idx ON tasks (business_id, lead_id);
-- the due-task sweep looks only at open, un-notified tasks
CREATE INDEX tasks_due_sweep_idx ON tasks (due_at) WHERE done_at IS NULL AND due_notified_at IS NULL;
CREATE TRIGGER tasks_updated_at BEFORE UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tasks
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO prosaas_app;
