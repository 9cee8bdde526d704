-- Development only: production migrations are forward-only.
DROP FUNCTION app_signing_link_lookup(bytea);
DROP FUNCTION app_local_date(timestamptz, text);
DROP TABLE invoice_items;
DROP TABLE invoices;
DROP TABLE invoice_counters;
DROP TABLE offer_signatures;
DROP TABLE offer_signing_links;
DROP TABLE offer_items;
DROP TABLE offers;
