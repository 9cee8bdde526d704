-- Development only: production migrations are forward-only.
DROP TABLE IF EXISTS leads;
