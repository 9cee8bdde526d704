-- Price offers, e-signatures and invoices. Same pattern as leads: business_id NOT
-- NULL + index, composite FKs to parents of the same business, ENABLE + FORCE RLS
-- with the one standard policy, created_at/updated_at. Money in integer agorot.
-- Additive only.

-- offers -----------------------------------------------------------------------
CREATE TABLE offers (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    lead_id         uuid,
    title           text NOT NULL CHECK (length(btrim(title)) > 0),
    customer_name   text NOT NULL CHECK (length(btrim(customer_name)) > 0),
    customer_email  text,
    customer_phone  text CHECK (customer_phone ~ '^\+[1-9][0-9]{6,14}$'),
    notes           text NOT NULL DEFAULT '',
    valid_until     date,
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'signed', 'declined')),
    currency        text NOT NULL DEFAULT 'ILS' CHECK (currency = 'ILS'),
    vat_rate_bp     integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
    gross_agorot    bigint NOT NULL CHECK (gross_agorot >= 0),
    discount_agorot bigint NOT NULL CHECK (discount_agorot >= 0),
    subtotal_agorot bigint NOT NULL CHECK (subtotal_agorot >= 0),
    vat_agorot      bigint NOT NULL CHECK (vat_agorot >= 0),
    total_agorot    bigint NOT NULL CHECK (total_agorot = subtotal_agorot + vat_agorot),
    sent_at         timestamptz,
    signed_at       timestamptz,
    declined_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offers_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT offers_lead_fkey FOREIGN KEY (business_id, lead_id)
        REFERENCES leads (business_id, id) ON DELETE SET NULL (lead_id),
    -- the status machine leaves its footprints: draft -> sent -> signed | declined
    CONSTRAINT offers_status_times CHECK (
        (status = 'draft' AND sent_at IS NULL AND signed_at IS NULL AND declined_at IS NULL)
        OR (status = 'sent' AND sent_at IS NOT NULL AND signed_at IS NULL AND declined_at IS NULL)
        OR (status = 'signed' AND sent_at IS NOT NULL AND signed_at IS NOT NULL AND declined_at IS NULL)
        OR (status = 'declined' AND sent_at IS NOT NULL AND signed_at IS NULL AND declined_at IS NOT NULL))
);
COMMENT ON TABLE offers IS 'Price offers (quotes) of one business; totals in agorot computed by the server.';
CREATE INDEX offers_business_created_idx ON offers (business_id, created_at DESC, id);
CREATE INDEX offers_business_lead_idx ON offers (business_id, lead_id);
CREATE TRIGGER offers_updated_at BEFORE UPDATE ON offers
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE offers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offers
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON offers TO prosaas_app;

CREATE TABLE offer_items (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    offer_id          uuid NOT NULL,
    position          integer NOT NULL CHECK (position >= 0),
    description       text NOT NULL CHECK (length(btrim(description)) > 0),
    quantity_milli    bigint NOT NULL CHECK (quantity_milli > 0),
    unit_price_agorot bigint NOT NULL CHECK (unit_price_agorot >= 0),
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    gross_agorot      bigint NOT NULL CHECK (gross_agorot >= 0),
    discount_agorot   bigint NOT NULL CHECK (discount_agorot >= 0),
    total_agorot      bigint NOT NULL CHECK (total_agorot = gross_agorot - discount_agorot),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offer_items_offer_position_key UNIQUE (offer_id, position),
    CONSTRAINT offer_items_offer_fkey FOREIGN KEY (business_id, offer_id)
        REFERENCES offers (business_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE offer_items IS 'Lines of a price offer: quantity (thousandths), unit price and discount.';
CREATE INDEX offer_items_business_offer_idx ON offer_items (business_id, offer_id);
CREATE TRIGGER offer_items_updated_at BEFORE UPDATE ON offer_items
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE offer_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE offer_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offer_items
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON offer_items TO prosaas_app;

-- signing links: only the SHA-256 of the token is stored --------------------------
CREATE TABLE offer_signing_links (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    offer_id    uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offer_signing_links_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT offer_signing_links_offer_fkey FOREIGN KEY (business_id, offer_id)
        REFERENCES offers (business_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE offer_signing_links IS 'Public signing links of offers: SHA-256 of an unguessable token, expiring, single use.';
CREATE INDEX offer_signing_links_business_offer_idx ON offer_signing_links (business_id, offer_id);
CREATE TRIGGER offer_signing_links_updated_at BEFORE UPDATE ON offer_signing_links
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE offer_signing_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE offer_signing_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offer_signing_links
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON offer_signing_links TO prosaas_app;

CREATE TABLE offer_signatures (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id        uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    offer_id           uuid NOT NULL UNIQUE,
    signing_link_id    uuid NOT NULL,
    signer_name        text NOT NULL CHECK (length(btrim(signer_name)) > 0),
    signed_at          timestamptz NOT NULL DEFAULT now(),
    ip                 text NOT NULL,
    user_agent         text NOT NULL DEFAULT '',
    -- the exact bytes that were hashed, so the hash can be re-verified later
    document_canonical text NOT NULL,
    document_sha256    text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    signature_png      bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offer_signatures_offer_fkey FOREIGN KEY (business_id, offer_id)
        REFERENCES offers (business_id, id) ON DELETE RESTRICT,
    CONSTRAINT offer_signatures_link_fkey FOREIGN KEY (business_id, signing_link_id)
        REFERENCES offer_signing_links (business_id, id) ON DELETE RESTRICT
);
COMMENT ON TABLE offer_signatures IS 'Customer e-signatures of offers: signer, time, IP, user agent, PNG and SHA-256 of the signed document.';
CREATE INDEX offer_signatures_business_idx ON offer_signatures (business_id);
CREATE TRIGGER offer_signatures_updated_at BEFORE UPDATE ON offer_signatures
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE offer_signatures ENABLE ROW LEVEL SECURITY;
ALTER TABLE offer_signatures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON offer_signatures
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT ON offer_signatures TO prosaas_app;

-- invoices -----------------------------------------------------------------------
-- One row per business; issuing an invoice bumps it in the issuing transaction, so
-- the row lock serialises concurrent issues and a rollback gives the number back.
CREATE TABLE invoice_counters (
    business_id uuid PRIMARY KEY REFERENCES businesses (id) ON DELETE RESTRICT,
    last_number bigint NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE invoice_counters IS 'Last issued invoice number per business (gapless numbering).';
CREATE TRIGGER invoice_counters_updated_at BEFORE UPDATE ON invoice_counters
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE invoice_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_counters
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE ON invoice_counters TO prosaas_app;

CREATE TABLE invoices (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    number          bigint NOT NULL CHECK (number > 0),
    offer_id        uuid,
    lead_id         uuid,
    customer_name   text NOT NULL CHECK (length(btrim(customer_name)) > 0),
    customer_email  text,
    customer_phone  text CHECK (customer_phone ~ '^\+[1-9][0-9]{6,14}$'),
    notes           text NOT NULL DEFAULT '',
    currency        text NOT NULL DEFAULT 'ILS' CHECK (currency = 'ILS'),
    vat_rate_bp     integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
    gross_agorot    bigint NOT NULL CHECK (gross_agorot >= 0),
    discount_agorot bigint NOT NULL CHECK (discount_agorot >= 0),
    subtotal_agorot bigint NOT NULL CHECK (subtotal_agorot >= 0),
    vat_agorot      bigint NOT NULL CHECK (vat_agorot >= 0),
    total_agorot    bigint NOT NULL CHECK (total_agorot = subtotal_agorot + vat_agorot),
    issued_at       timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoices_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT invoices_business_number_key UNIQUE (business_id, number),
    CONSTRAINT invoices_business_offer_key UNIQUE (business_id, offer_id),
    CONSTRAINT invoices_offer_fkey FOREIGN KEY (business_id, offer_id)
        REFERENCES offers (business_id, id) ON DELETE RESTRICT,
    CONSTRAINT invoices_lead_fkey FOREIGN KEY (business_id, lead_id)
        REFERENCES leads (business_id, id) ON DELETE SET NULL (lead_id)
);
COMMENT ON TABLE invoices IS 'Issued invoices of one business; immutable, numbered 1, 2, 3, ... without gaps.';
CREATE INDEX invoices_business_lead_idx ON invoices (business_id, lead_id);
CREATE TRIGGER invoices_updated_at BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
-- no UPDATE or DELETE: an issued invoice is never changed
GRANT SELECT, INSERT ON invoices TO prosaas_app;

CREATE TABLE invoice_items (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    invoice_id        uuid NOT NULL,
    position          integer NOT NULL CHECK (position >= 0),
    description       text NOT NULL CHECK (length(btrim(description)) > 0),
    quantity_milli    bigint NOT NULL CHECK (quantity_milli > 0),
    unit_price_agorot bigint NOT NULL CHECK (unit_price_agorot >= 0),
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    gross_agorot      bigint NOT NULL CHECK (gross_agorot >= 0),
    discount_agorot   bigint NOT NULL CHECK (discount_agorot >= 0),
    total_agorot      bigint NOT NULL CHECK (total_agorot = gross_agorot - discount_agorot),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoice_items_invoice_position_key UNIQUE (invoice_id, position),
    CONSTRAINT invoice_items_invoice_fkey FOREIGN KEY (business_id, invoice_id)
        REFERENCES invoices (business_id, id) ON DELETE RESTRICT
);
COMMENT ON TABLE invoice_items IS 'Lines of an issued invoice.';
CREATE INDEX invoice_items_business_invoice_idx ON invoice_items (business_id, invoice_id);
CREATE TRIGGER invoice_items_updated_at BEFORE UPDATE ON invoice_items
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE invoice_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_items
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT ON invoice_items TO prosaas_app;

-- the calendar day of an instant in a business's time zone (the date printed on
-- an invoice); an unknown zone name falls back to UTC instead of failing the read
CREATE FUNCTION app_local_date(p_at timestamptz, p_tz text) RETURNS date
    LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
    AS $$
    BEGIN
        RETURN (p_at AT TIME ZONE p_tz)::date;
    EXCEPTION WHEN invalid_parameter_value THEN
        RETURN (p_at AT TIME ZONE 'UTC')::date;
    END
    $$;
COMMENT ON FUNCTION app_local_date(timestamptz, text) IS
    'Calendar day of an instant in a time zone; UTC when the zone name is unknown.';

-- pre-auth: public signing link -> business ------------------------------------------
-- The function runs as the migration role, which FORCE subjects to RLS too: give it
-- a read-only maintenance policy on this one table.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_maintenance ON offer_signing_links FOR SELECT TO %I USING (true)', current_user);
END
$$;

CREATE FUNCTION app_signing_link_lookup(p_token_hash bytea)
    RETURNS TABLE (link_id uuid, business_id uuid, offer_id uuid, expires_at timestamptz,
                   used_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT l.id, l.business_id, l.offer_id, l.expires_at, l.used_at, l.revoked_at
        FROM offer_signing_links l WHERE l.token_hash = p_token_hash
    $$;
COMMENT ON FUNCTION app_signing_link_lookup(bytea) IS
    'Pre-auth: resolves the SHA-256 of a public signing token to its business and offer (prosaas_tenant::system::resolve_signing_token).';
REVOKE ALL ON FUNCTION app_signing_link_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_signing_link_lookup(bytea) TO prosaas_app;
