-- Development only: production migrations are forward-only.
DROP FUNCTION app_tasks_due_businesses(integer);
DROP FUNCTION app_webhook_due_businesses(integer);
DROP FUNCTION app_api_key_lookup(bytea);
DROP POLICY owner_maintenance ON tasks;
DROP TRIGGER notifications_webhooks ON notifications;
DROP TRIGGER calls_webhooks ON calls;
DROP TRIGGER tasks_webhooks ON tasks;
DROP TRIGGER leads_webhooks ON leads;
DROP FUNCTION webhook_notifications_trigger();
DROP FUNCTION webhook_calls_trigger();
DROP FUNCTION webhook_tasks_trigger();
DROP FUNCTION webhook_leads_trigger();
DROP FUNCTION webhook_enqueue(uuid, text, jsonb);
DROP TABLE event_log;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP TABLE api_keys;
