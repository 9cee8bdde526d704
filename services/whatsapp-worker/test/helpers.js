// Test doubles: an in-memory whatsapp service client, and a tiny HTTP server
// speaking the service side of the worker protocol.

import http from 'node:http';

export const SECRET = 'test-secret-0123456789abcdef';
export const BUSINESS = '11111111-2222-3333-4444-555555555555';

export const silentLogger = {
  child() { return silentLogger; },
  info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {},
  level: 'silent',
};

/** Records events and keeps auth state in memory, like the Rust service does in Postgres. */
export class MemoryClient {
  constructor() {
    this.events = [];
    this.creds = new Map();
    this.keys = new Map();
    this.writes = 0;
    this.cleared = [];
    this.resumable = [];
  }
  async postEvent(businessId, type, data) { this.events.push({ business_id: businessId, type, data }); }
  async loadCreds(b) { return this.creds.get(b) ?? null; }
  async loadKeys(b, type, ids) {
    const out = {};
    for (const id of ids) {
      const v = this.keys.get(`${b}/${type}/${id}`);
      if (v !== undefined) out[id] = v;
    }
    return out;
  }
  async writeAuth(b, change) {
    this.writes += 1;
    if (change.creds) this.creds.set(b, change.creds);
    for (const k of change.keys ?? []) {
      const key = `${b}/${k.type}/${k.id}`;
      if (k.value === null) this.keys.delete(key); else this.keys.set(key, k.value);
    }
  }
  async clearAuth(b) {
    this.cleared.push(b);
    this.creds.delete(b);
    for (const k of [...this.keys.keys()]) if (k.startsWith(`${b}/`)) this.keys.delete(k);
  }
  async resumableSessions() { return this.resumable; }
  ofType(type) { return this.events.filter((e) => e.type === type).map((e) => e.data); }
}

export const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

export async function until(check, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await tick(20);
  }
  return false;
}

/** A fake whatsapp service (HTTP) recording what the worker sends it. */
export function fakeService() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.headers['x-worker-secret'] !== SECRET) {
        res.writeHead(401).end();
        return;
      }
      received.push({ method: req.method, url: req.url, body: body ? JSON.parse(body) : null });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/internal/whatsapp/sessions') return res.end(JSON.stringify({ business_ids: [BUSINESS] }));
      if (req.method === 'GET' && req.url.startsWith('/internal/whatsapp/auth/')) return res.end(JSON.stringify({ creds: null }));
      if (req.url.endsWith('/keys')) return res.end(JSON.stringify({ values: {} }));
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}` })));
}
