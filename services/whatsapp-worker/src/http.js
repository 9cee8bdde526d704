// The worker's HTTP API, reachable only on the internal network and only with
// the shared secret (except /health). Shapes: docs/api.md, "Internal".

import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';

import { NotConnectedError } from './session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY = 64 * 1024;

/**
 * @param {{registry:any, secret:string, logger:any, fakeSockets?:Map<string,any>}} deps
 */
export function createServer({ registry, secret, logger, fakeSockets }) {
  const expected = Buffer.from(secret);
  const authorized = (req) => {
    const got = Buffer.from(String(req.headers['x-worker-secret'] ?? ''));
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://worker');
      const parts = url.pathname.split('/').filter(Boolean);
      if (req.method === 'GET' && url.pathname === '/health') {
        const states = registry.states();
        return json(res, 200, { status: 'ok', sessions: Object.keys(states).length, states });
      }
      if (!authorized(req)) return error(res, 401, 'invalid_worker_secret', 'missing or wrong x-worker-secret');
      if (parts[0] === 'sessions' && parts[1]) {
        const businessId = parts[1];
        if (!UUID.test(businessId)) return error(res, 404, 'not_found', 'no such session');
        if (parts.length === 2) {
          if (req.method === 'POST') return json(res, 202, registry.start(businessId));
          if (req.method === 'GET') {
            const s = registry.get(businessId);
            return s ? json(res, 200, s) : error(res, 404, 'session_not_found', 'no session for this business');
          }
          if (req.method === 'DELETE') {
            await registry.logout(businessId);
            res.writeHead(204).end();
            return undefined;
          }
        }
        if (parts.length === 3 && parts[2] === 'messages' && req.method === 'POST') {
          const body = await readJson(req);
          if (typeof body?.jid !== 'string' || typeof body?.text !== 'string' || !body.text) {
            return error(res, 400, 'invalid_message', 'jid and text are required');
          }
          if (body.message_id !== undefined && !/^[A-Za-z0-9]{8,64}$/.test(String(body.message_id))) {
            return error(res, 400, 'invalid_message', 'message_id must be 8-64 letters or digits');
          }
          try {
            const id = await registry.send(businessId, body.jid, body.text, body.message_id);
            return json(res, 200, { wa_message_id: id });
          } catch (e) {
            if (e instanceof NotConnectedError || e.notConnected) return error(res, 409, 'not_connected', 'the WhatsApp session is not connected');
            throw e;
          }
        }
      }
      if (parts[0] === 'sessions' && parts.length === 3 && parts[2] === 'typing' && req.method === 'POST' && UUID.test(parts[1])) {
        const body = await readJson(req);
        if (typeof body?.jid !== 'string') return error(res, 400, 'invalid_message', 'jid is required');
        try {
          await registry.typing(parts[1], body.jid);
          res.writeHead(204).end();
          return undefined;
        } catch (e) {
          if (e instanceof NotConnectedError || e.notConnected) return error(res, 409, 'not_connected', 'the WhatsApp session is not connected');
          throw e;
        }
      }
      if (fakeSockets && parts[0] === 'fake' && parts[1] && req.method === 'POST') {
        return fakeControl(res, fakeSockets.get(parts[1]), parts[2], await readJson(req));
      }
      return error(res, 404, 'not_found', 'no such route');
    } catch (e) {
      if (e.code === 'invalid_json') return error(res, 400, 'invalid_json', e.message);
      logger.error({ err: e.message }, 'request failed');
      return error(res, 500, 'internal_error', 'the worker failed');
    }
  });
}

// Test/dev hooks of the fake socket (only mounted with WORKER_FAKE_SOCKET=1).
function fakeControl(res, sock, action, body) {
  if (!sock) return error(res, 404, 'session_not_found', 'no fake socket for this business');
  switch (action) {
    case 'scan':
      sock.scan(String(body?.phone_digits ?? ''));
      break;
    case 'inbound':
      sock.inbound({ id: body?.id, jid: body?.jid, altJid: body?.alt_jid ?? null, text: body?.text, pushName: body?.push_name ?? null });
      break;
    case 'close':
      sock.close(Number(body?.status_code ?? 408));
      break;
    default:
      return error(res, 404, 'not_found', 'unknown fake action');
  }
  res.writeHead(204).end();
  return undefined;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { code: 'invalid_json' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(Object.assign(new Error('body is not JSON'), { code: 'invalid_json' }));
      }
    });
    req.on('error', reject);
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function error(res, status, code, message) {
  json(res, status, { error: { code, message } });
}
