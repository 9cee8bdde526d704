-- Development only: production migrations are forward-only.
DROP TABLE tasks;
DROP TABLE notification_reads;
DROP TABLE notifications;
DROP TABLE calls;
ALTER TABLE businesses
    DROP COLUMN vat_rate_bp,
    DROP COLUMN whatsapp_auto_reply,
    DROP COLUMN record_calls,
    DROP COLUMN fallback_phone;
