DROP FUNCTION IF EXISTS app_whatsapp_resumable_sessions();
DROP TABLE IF EXISTS whatsapp_lid_map;
DROP TABLE IF EXISTS whatsapp_messages;
DROP TABLE IF EXISTS whatsapp_conversations;
DROP TABLE IF EXISTS whatsapp_auth_keys;
DROP TABLE IF EXISTS whatsapp_sessions;
