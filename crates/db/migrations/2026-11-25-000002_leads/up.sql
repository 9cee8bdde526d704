-- Leads: the tenant-table pattern every later table follows:
-- business_id NOT NULL + index, composite FKs to parents of the same business,
-- ENABLE + FORCE RLS with the one standard policy, created_at/updated_at.
CREATE TABLE leads (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id      uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    name             text NOT NULL DEFAULT '',
    phone            text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email            text,
    source           text NOT NULL DEFAULT 'manual' CHECK (source IN ('call', 'whatsapp', 'manual', 'api')),
    status           text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
    notes            text NOT NULL DEFAULT '',
    assigned_user_id uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_business_id_id_key UNIQUE (business_id, id),
    -- an assignee must be a user of the same business; deleting the user unassigns
    CONSTRAINT leads_assigned_user_fkey FOREIGN KEY (business_id, assigned_user_id)
        REFERENCES users (business_id, id) ON DELETE SET NULL (assigned_user_id)
);
COMMENT ON TABLE leads IS 'Prospects of one business, from calls, WhatsApp, the CRM or the API.';
CREATE INDEX leads_business_created_idx ON leads (business_id, created_at DESC, id);
CREATE INDEX leads_business_updated_idx ON leads (business_id, updated_at DESC, id);
CREATE INDEX leads_business_phone_idx ON leads (business_id, phone);
CREATE INDEX leads_business_status_idx ON leads (business_id, status);
CREATE INDEX leads_assigned_user_idx ON leads (business_id, assigned_user_id);
CREATE TRIGGER leads_updated_at BEFORE UPDATE ON leads
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON leads
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON leads TO prosaas_app;
