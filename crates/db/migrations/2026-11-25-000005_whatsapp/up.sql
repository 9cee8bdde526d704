-- WhatsApp (Baileys worker): the linked session with its encrypted auth state,
-- conversations, messages, and the per-business map of privacy ids (@lid) to
-- phone numbers. Same pattern as every tenant table: business_id NOT NULL +
-- index, composite FKs to same-business parents, ENABLE + FORCE RLS with the one
-- standard policy, grants to prosaas_app, created_at/updated_at + trigger.

-- sessions: one per business ------------------------------------------------------
CREATE TABLE whatsapp_sessions (
    business_id     uuid PRIMARY KEY REFERENCES businesses (id) ON DELETE RESTRICT,
    state           text NOT NULL DEFAULT 'disconnected' CHECK (state IN
        ('disconnected', 'waiting_for_qr', 'connecting', 'connected', 'logged_out')),
    phone           text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    qr              text,
    qr_rotation     integer NOT NULL DEFAULT 0 CHECK (qr_rotation >= 0),
    qr_updated_at   timestamptz,
    last_error      text,
    last_inbound_at timestamptz,
    -- Baileys creds (BufferJSON), AES-256-GCM: 12-byte nonce || ciphertext+tag, key WHATSAPP_AUTH_KEY
    creds_enc       bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE whatsapp_sessions IS
    'The WhatsApp Web link of one business: state, pending QR, encrypted Baileys creds.';
CREATE TRIGGER whatsapp_sessions_updated_at BEFORE UPDATE ON whatsapp_sessions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE whatsapp_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_sessions
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_sessions TO prosaas_app;

-- Signal keys of a session (pre-keys, sessions, sender keys, lid mappings...) ---------
CREATE TABLE whatsapp_auth_keys (
    business_id uuid NOT NULL REFERENCES whatsapp_sessions (business_id) ON DELETE CASCADE,
    key_type    text NOT NULL CHECK (length(key_type) BETWEEN 1 AND 64),
    key_id      text NOT NULL CHECK (length(key_id) BETWEEN 1 AND 512),
    -- AES-256-GCM like creds_enc
    value_enc   bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, key_type, key_id)
);
COMMENT ON TABLE whatsapp_auth_keys IS
    'Encrypted Baileys Signal keys of one business session; written in one transaction per batch.';
CREATE TRIGGER whatsapp_auth_keys_updated_at BEFORE UPDATE ON whatsapp_auth_keys
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE whatsapp_auth_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_auth_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_auth_keys
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_auth_keys TO prosaas_app;

-- conversations: one per contact chat -----------------------------------------------
CREATE TABLE whatsapp_conversations (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id          uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    -- the chat as WhatsApp addresses it (…@s.whatsapp.net or …@lid); replies go here
    jid                  text NOT NULL CHECK (length(jid) BETWEEN 3 AND 128),
    contact_phone        text CHECK (contact_phone ~ '^\+[1-9][0-9]{6,14}$'),
    contact_name         text,
    lead_id              uuid,
    human_took_over      boolean NOT NULL DEFAULT false,
    unread_count         integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_message_at      timestamptz,
    last_message_preview text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_conversations_business_id_id_key UNIQUE (business_id, id),
    CONSTRAINT whatsapp_conversations_jid_key UNIQUE (business_id, jid),
    CONSTRAINT whatsapp_conversations_lead_fkey FOREIGN KEY (business_id, lead_id)
        REFERENCES leads (business_id, id) ON DELETE SET NULL (lead_id)
);
COMMENT ON TABLE whatsapp_conversations IS
    'WhatsApp chats of one business with one contact; human_took_over stops the AI.';
-- one conversation per phone: a contact seen first by @lid and later by number is merged
CREATE UNIQUE INDEX whatsapp_conversations_phone_key
    ON whatsapp_conversations (business_id, contact_phone) WHERE contact_phone IS NOT NULL;
CREATE INDEX whatsapp_conversations_recent_idx
    ON whatsapp_conversations (business_id, last_message_at DESC NULLS LAST, id);
CREATE INDEX whatsapp_conversations_lead_idx ON whatsapp_conversations (business_id, lead_id);
CREATE TRIGGER whatsapp_conversations_updated_at BEFORE UPDATE ON whatsapp_conversations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE whatsapp_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_conversations
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_conversations TO prosaas_app;

-- messages ---------------------------------------------------------------------------
CREATE TABLE whatsapp_messages (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    conversation_id uuid NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    author          text NOT NULL CHECK (author IN ('contact', 'ai', 'user')),
    sent_by_user_id uuid,
    text            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('received', 'pending', 'sent', 'delivered', 'read', 'failed')),
    -- WhatsApp's id: a redelivered message is stored once
    wa_message_id   text,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_messages_wa_id_key UNIQUE (business_id, wa_message_id),
    CONSTRAINT whatsapp_messages_conversation_fkey FOREIGN KEY (business_id, conversation_id)
        REFERENCES whatsapp_conversations (business_id, id) ON DELETE CASCADE,
    CONSTRAINT whatsapp_messages_user_fkey FOREIGN KEY (business_id, sent_by_user_id)
        REFERENCES users (business_id, id) ON DELETE SET NULL (sent_by_user_id)
);
COMMENT ON TABLE whatsapp_messages IS
    'WhatsApp messages of one business: inbound from contacts, outbound from the AI or a user.';
CREATE INDEX whatsapp_messages_thread_idx
    ON whatsapp_messages (business_id, conversation_id, created_at DESC, id);
CREATE TRIGGER whatsapp_messages_updated_at BEFORE UPDATE ON whatsapp_messages
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE whatsapp_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_messages
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_messages TO prosaas_app;

-- privacy id (@lid) <-> phone, learnt from Baileys' alternate jids -------------------
CREATE TABLE whatsapp_lid_map (
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE RESTRICT,
    lid         text NOT NULL CHECK (lid LIKE '%@lid'),
    phone       text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, lid)
);
COMMENT ON TABLE whatsapp_lid_map IS
    'Per-business map of WhatsApp privacy ids to phone numbers, so leads match by phone.';
CREATE INDEX whatsapp_lid_map_phone_idx ON whatsapp_lid_map (business_id, phone);
CREATE TRIGGER whatsapp_lid_map_updated_at BEFORE UPDATE ON whatsapp_lid_map
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE whatsapp_lid_map ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_lid_map FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON whatsapp_lid_map
    USING (business_id = app_current_business())
    WITH CHECK (business_id = app_current_business());
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_lid_map TO prosaas_app;

-- pre-auth lookup: which businesses have a stored session to resume -------------------
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_maintenance ON whatsapp_sessions TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;

CREATE FUNCTION app_whatsapp_resumable_sessions()
    RETURNS TABLE (business_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT s.business_id FROM whatsapp_sessions s WHERE s.creds_enc IS NOT NULL ORDER BY 1 $$;
COMMENT ON FUNCTION app_whatsapp_resumable_sessions() IS
    'Businesses with stored WhatsApp creds (ids only), for the worker to resume after a restart.';
REVOKE ALL ON FUNCTION app_whatsapp_resumable_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_whatsapp_resumable_sessions() TO prosaas_app;
