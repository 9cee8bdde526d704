//! Diesel table definitions. Kept in sync with `migrations/` by hand; the
//! migration tests in prosaas-tenant exercise every column.

diesel::table! {
    businesses (id) {
        id -> Uuid,
        name -> Text,
        slug -> Text,
        twilio_phone_number -> Nullable<Text>,
        whatsapp_phone -> Nullable<Text>,
        timezone -> Text,
        locale -> Text,
        ai_prompt -> Text,
        ai_greeting -> Text,
        ai_voice -> Text,
        ai_language -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        fallback_phone -> Nullable<Text>,
        record_calls -> Bool,
        whatsapp_auto_reply -> Bool,
        vat_rate_bp -> Int4,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        business_id -> Nullable<Uuid>,
        email -> Text,
        password_hash -> Text,
        name -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        business_id -> Nullable<Uuid>,
        actor_user_id -> Nullable<Uuid>,
        actor_kind -> Text,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        detail -> Jsonb,
        at -> Timestamptz,
    }
}

diesel::table! {
    leads (id) {
        id -> Uuid,
        business_id -> Uuid,
        name -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        source -> Text,
        status -> Text,
        notes -> Text,
        assigned_user_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    calls (id) {
        id -> Uuid,
        business_id -> Uuid,
        lead_id -> Nullable<Uuid>,
        direction -> Text,
        call_sid -> Nullable<Text>,
        from_phone -> Text,
        to_phone -> Text,
        status -> Text,
        started_at -> Timestamptz,
        answered_at -> Nullable<Timestamptz>,
        ended_at -> Nullable<Timestamptz>,
        duration_seconds -> Nullable<Int4>,
        recording_sid -> Nullable<Text>,
        recording_url -> Nullable<Text>,
        recording_duration_seconds -> Nullable<Int4>,
        transcript -> Jsonb,
        summary -> Nullable<Text>,
        first_response_ms -> Nullable<Int4>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        business_id -> Uuid,
        user_id -> Nullable<Uuid>,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        data -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    notification_reads (notification_id, user_id) {
        business_id -> Uuid,
        notification_id -> Uuid,
        user_id -> Uuid,
        read_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tasks (id) {
        id -> Uuid,
        business_id -> Uuid,
        title -> Text,
        description -> Text,
        lead_id -> Nullable<Uuid>,
        assignee_user_id -> Nullable<Uuid>,
        created_by_user_id -> Nullable<Uuid>,
        source -> Text,
        due_at -> Nullable<Timestamptz>,
        done_at -> Nullable<Timestamptz>,
        due_notified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(leads -> businesses (business_id));
diesel::joinable!(calls -> businesses (business_id));
diesel::joinable!(notifications -> businesses (business_id));
diesel::joinable!(tasks -> businesses (business_id));
diesel::allow_tables_to_appear_in_same_query!(
    businesses,
    users,
    audit_log,
    leads,
    calls,
    notifications,
    notification_reads,
    tasks,
);

// --- WhatsApp (migration 2026-11-25-000005_whatsapp) ---------------------------

diesel::table! {
    whatsapp_sessions (business_id) {
        business_id -> Uuid,
        state -> Text,
        phone -> Nullable<Text>,
        qr -> Nullable<Text>,
        qr_rotation -> Int4,
        qr_updated_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        last_inbound_at -> Nullable<Timestamptz>,
        creds_enc -> Nullable<Bytea>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    whatsapp_auth_keys (business_id, key_type, key_id) {
        business_id -> Uuid,
        key_type -> Text,
        key_id -> Text,
        value_enc -> Bytea,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    whatsapp_conversations (id) {
        id -> Uuid,
        business_id -> Uuid,
        jid -> Text,
        contact_phone -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        lead_id -> Nullable<Uuid>,
        human_took_over -> Bool,
        unread_count -> Int4,
        last_message_at -> Nullable<Timestamptz>,
        last_message_preview -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    whatsapp_messages (id) {
        id -> Uuid,
        business_id -> Uuid,
        conversation_id -> Uuid,
        direction -> Text,
        author -> Text,
        sent_by_user_id -> Nullable<Uuid>,
        text -> Text,
        status -> Text,
        wa_message_id -> Nullable<Text>,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    whatsapp_lid_map (business_id, lid) {
        business_id -> Uuid,
        lid -> Text,
        phone -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    whatsapp_sessions,
    whatsapp_auth_keys,
    whatsapp_conversations,
    whatsapp_messages,
    whatsapp_lid_map,
);

// --- migration 2026-11-25-000006_crm: API keys, webhooks outbox, SSE event log ---

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        business_id -> Uuid,
        name -> Text,
        prefix -> Text,
        key_hash -> Bytea,
        created_by_user_id -> Nullable<Uuid>,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Uuid,
        business_id -> Uuid,
        url -> Text,
        event_types -> Array<Text>,
        description -> Text,
        secret -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        business_id -> Uuid,
        subscription_id -> Uuid,
        event_id -> Uuid,
        event_type -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Nullable<Timestamptz>,
        last_status_code -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    event_log (id) {
        id -> Uuid,
        business_id -> Uuid,
        seq -> Int8,
        kind -> Text,
        data -> Jsonb,
        occurred_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    webhook_subscriptions,
    webhook_deliveries,
    event_log,
);

// offers, e-signatures and invoices (migration 2026-11-25-000007_offers)

diesel::table! {
    offers (id) {
        id -> Uuid,
        business_id -> Uuid,
        lead_id -> Nullable<Uuid>,
        title -> Text,
        customer_name -> Text,
        customer_email -> Nullable<Text>,
        customer_phone -> Nullable<Text>,
        notes -> Text,
        valid_until -> Nullable<Date>,
        status -> Text,
        currency -> Text,
        vat_rate_bp -> Int4,
        gross_agorot -> Int8,
        discount_agorot -> Int8,
        subtotal_agorot -> Int8,
        vat_agorot -> Int8,
        total_agorot -> Int8,
        sent_at -> Nullable<Timestamptz>,
        signed_at -> Nullable<Timestamptz>,
        declined_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    offer_items (id) {
        id -> Uuid,
        business_id -> Uuid,
        offer_id -> Uuid,
        position -> Int4,
        description -> Text,
        quantity_milli -> Int8,
        unit_price_agorot -> Int8,
        discount_bp -> Int4,
        gross_agorot -> Int8,
        discount_agorot -> Int8,
        total_agorot -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    offer_signing_links (id) {
        id -> Uuid,
        business_id -> Uuid,
        offer_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    offer_signatures (id) {
        id -> Uuid,
        business_id -> Uuid,
        offer_id -> Uuid,
        signing_link_id -> Uuid,
        signer_name -> Text,
        signed_at -> Timestamptz,
        ip -> Text,
        user_agent -> Text,
        document_canonical -> Text,
        document_sha256 -> Text,
        signature_png -> Bytea,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    invoice_counters (business_id) {
        business_id -> Uuid,
        last_number -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    invoices (id) {
        id -> Uuid,
        business_id -> Uuid,
        number -> Int8,
        offer_id -> Nullable<Uuid>,
        lead_id -> Nullable<Uuid>,
        customer_name -> Text,
        customer_email -> Nullable<Text>,
        customer_phone -> Nullable<Text>,
        notes -> Text,
        currency -> Text,
        vat_rate_bp -> Int4,
        gross_agorot -> Int8,
        discount_agorot -> Int8,
        subtotal_agorot -> Int8,
        vat_agorot -> Int8,
        total_agorot -> Int8,
        issued_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    invoice_items (id) {
        id -> Uuid,
        business_id -> Uuid,
        invoice_id -> Uuid,
        position -> Int4,
        description -> Text,
        quantity_milli -> Int8,
        unit_price_agorot -> Int8,
        discount_bp -> Int4,
        gross_agorot -> Int8,
        discount_agorot -> Int8,
        total_agorot -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    offers,
    offer_items,
    offer_signing_links,
    offer_signatures,
    invoice_counters,
    invoices,
    invoice_items,
);
