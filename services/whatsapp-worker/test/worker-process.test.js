// The real worker process (real Baileys, no internet here): it must come up,
// resume the stored session, keep running and report it as not connected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { BUSINESS, SECRET, fakeService, until } from './helpers.js';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

function startWorker(serviceUrl, extraEnv = {}) {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, WORKER_PORT: '0', WORKER_HOST: '127.0.0.1', WHATSAPP_WORKER_SECRET: SECRET, WHATSAPP_SERVICE_URL: serviceUrl, LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  const port = until(() => /"port":(\d+)/.test(out), 10000).then(() => Number(out.match(/"port":(\d+)/)?.[1]));
  return { child, port, output: () => out };
}

test('without internet the worker stays up and reports the session as not connected', async (t) => {
  const service = await fakeService();
  const worker = startWorker(service.url);
  t.after(() => { worker.child.kill('SIGKILL'); service.server.close(); });
  const port = await worker.port;
  assert.ok(port > 0, worker.output());
  // resumed from GET /internal/whatsapp/sessions
  assert.ok(await until(() => service.received.some((r) => r.url === '/internal/whatsapp/sessions')));
  assert.ok(await until(() => service.received.some((r) => r.body?.type === 'connection'), 10000), 'a connection event arrives');
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(worker.child.exitCode, null, `worker exited: ${worker.output()}`);
  const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());
  assert.equal(health.status, 'ok');
  assert.notEqual(health.states[BUSINESS], 'connected');
  const states = service.received.filter((r) => r.body?.type === 'connection').map((r) => r.body.data.state);
  assert.ok(!states.includes('connected'), `states: ${states}`);
  const unauthorized = await fetch(`http://127.0.0.1:${port}/sessions/${BUSINESS}`);
  assert.equal(unauthorized.status, 401);
  const session = await fetch(`http://127.0.0.1:${port}/sessions/${BUSINESS}`, { headers: { 'x-worker-secret': SECRET } }).then((r) => r.json());
  assert.notEqual(session.state, 'connected');
});

test('fake-socket mode drives the protocol end to end over HTTP', async (t) => {
  const service = await fakeService();
  const worker = startWorker(service.url, { WORKER_FAKE_SOCKET: '1' });
  t.after(() => { worker.child.kill('SIGKILL'); service.server.close(); });
  const port = await worker.port;
  const base = `http://127.0.0.1:${port}`;
  const headers = { 'x-worker-secret': SECRET, 'content-type': 'application/json' };
  assert.ok(await until(() => service.received.some((r) => r.body?.type === 'qr')), 'resumed session shows a QR');
  await fetch(`${base}/fake/${BUSINESS}/scan`, { method: 'POST', headers, body: JSON.stringify({ phone_digits: '972501234567' }) });
  assert.ok(await until(() => service.received.some((r) => r.body?.type === 'connection' && r.body.data.state === 'connected')));
  const sent = await fetch(`${base}/sessions/${BUSINESS}/messages`, { method: 'POST', headers, body: JSON.stringify({ jid: '972541112222@s.whatsapp.net', text: 'hi' }) });
  assert.equal(sent.status, 200);
  const { wa_message_id: id } = await sent.json();
  assert.ok(await until(() => service.received.some((r) => r.body?.type === 'message_status' && r.body.data.wa_message_id === id)));
  const bad = await fetch(`${base}/sessions/${BUSINESS}/messages`, { method: 'POST', headers, body: '{' });
  assert.equal(bad.status, 400);
  const del = await fetch(`${base}/sessions/${BUSINESS}`, { method: 'DELETE', headers });
  assert.equal(del.status, 204);
  assert.ok(service.received.some((r) => r.method === 'DELETE' && r.url === `/internal/whatsapp/auth/${BUSINESS}`));
});

test('a missing secret is a configuration error, not a crash loop', async () => {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, WHATSAPP_WORKER_SECRET: '' }, stdio: 'pipe' });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
});
