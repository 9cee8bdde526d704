// The reconnect policy and event flow of one session, with Baileys' socket
// replaced at its event-emitter boundary by FakeSocket.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FakeSocket } from '../src/fake-socket.js';
import { Session } from '../src/session.js';
import { BUSINESS, MemoryClient, silentLogger, tick, until } from './helpers.js';

function harness({ qrMaxRotations = 10 } = {}) {
  const client = new MemoryClient();
  const sockets = [];
  const session = new Session({
    businessId: BUSINESS,
    client,
    logger: silentLogger,
    qrMaxRotations,
    backoffMs: () => 5,
    makeAuthState: async () => ({ state: { creds: {}, keys: {} }, saveCreds: async () => client.writeAuth(BUSINESS, { creds: '{}' }) }),
    createSocket: async () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
  });
  return { client, sockets, session, last: () => sockets[sockets.length - 1] };
}

test('start -> qr -> scan -> connected with the linked phone', async () => {
  const h = harness();
  h.session.start();
  assert.ok(await until(() => h.client.ofType('qr').length === 1));
  assert.equal(h.session.state, 'waiting_for_qr');
  h.last().scan('972501234567');
  await h.session.reports;
  assert.equal(h.session.state, 'connected');
  const last = h.client.ofType('connection').at(-1);
  assert.deepEqual(last, { state: 'connected', phone: '+972501234567', reason: null });
});

test('creds updates are persisted', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().ev.emit('creds.update', {});
  assert.ok(await until(() => h.client.writes === 1));
});

test('restart required (515) reconnects at once with a new socket', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().close(515);
  assert.ok(await until(() => h.sockets.length === 2));
  assert.ok(h.sockets[0].ended);
});

test('connection lost (408) backs off and reconnects; state says disconnected meanwhile', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().scan('972501234567');
  h.last().close(408);
  await h.session.reports;
  assert.ok(h.client.ofType('connection').some((c) => c.state === 'disconnected' && c.reason === 'connection_lost'));
  assert.ok(await until(() => h.sockets.length === 2));
});

test('logged out (401) clears the stored auth and reports logged_out, no reconnect', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().scan('972501234567');
  h.last().close(401);
  await h.session.reports;
  assert.deepEqual(h.client.cleared, [BUSINESS]);
  assert.equal(h.session.state, 'logged_out');
  await tick(30);
  assert.equal(h.sockets.length, 1);
});

test('replaced (440) and banned (403) stop without a reconnect loop', async () => {
  for (const [code, reason] of [[440, 'connection_replaced'], [403, 'banned']]) {
    const h = harness();
    h.session.start();
    await until(() => h.sockets.length === 1);
    h.last().close(code);
    await tick(30);
    assert.equal(h.sockets.length, 1);
    assert.equal(h.session.reason, reason);
  }
});

test('QR rotations are bounded: after the limit the session stops with qr_expired', async () => {
  const h = harness({ qrMaxRotations: 2 });
  h.session.start();
  await until(() => h.client.ofType('qr').length === 1);
  h.last().ev.emit('connection.update', { qr: 'second' });
  h.last().ev.emit('connection.update', { qr: 'third' });
  await h.session.reports;
  assert.equal(h.client.ofType('qr').length, 2);
  assert.equal(h.session.state, 'disconnected');
  assert.equal(h.session.reason, 'qr_expired');
});

test('inbound messages and delivery statuses are reported; sending needs a connection', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  await assert.rejects(h.session.send('972501234567@s.whatsapp.net', 'hi'), /not connected/);
  h.last().scan('972501234567');
  h.last().inbound({ id: 'IN1', jid: '972541112222@s.whatsapp.net', text: 'שלום', pushName: 'Dana' });
  await h.session.typing('972541112222@s.whatsapp.net');
  assert.deepEqual(h.last().presence, { type: 'composing', jid: '972541112222@s.whatsapp.net' });
  const id = await h.session.send('972541112222@s.whatsapp.net', 'hello');
  assert.ok(await until(() => h.client.ofType('message_status').length === 1));
  assert.equal(h.client.ofType('message')[0].text, 'שלום');
  assert.deepEqual(h.client.ofType('message_status')[0], { wa_message_id: id, status: 'delivered' });
  assert.ok(h.session.snapshot().last_inbound_at);
  // the service may choose the id, so an early receipt still matches its row
  const chosen = await h.session.send('972541112222@s.whatsapp.net', 'again', '3EB0ABCDEF0123456789AB');
  assert.equal(chosen, '3EB0ABCDEF0123456789AB');
  assert.ok(await until(() => h.client.ofType('message_status').some((m) => m.wa_message_id === chosen)));
});

test('logout logs out on the phone and forgets the auth state', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().scan('972501234567');
  await h.session.logout();
  assert.ok(h.sockets[0].loggedOut);
  assert.deepEqual(h.client.cleared, [BUSINESS]);
  assert.equal(h.session.state, 'logged_out');
});

test('auth state that cannot be loaded is retried, not fatal', async () => {
  const h = harness();
  let calls = 0;
  h.session.makeAuthState = async () => {
    calls += 1;
    if (calls < 3) throw new Error('service down');
    return { state: { creds: {}, keys: {} }, saveCreds: async () => {} };
  };
  h.session.start();
  assert.ok(await until(() => h.sockets.length === 1));
  assert.equal(calls, 3);
});

test('a connected but silent socket is probed, and replaced when it does not answer', async () => {
  const h = harness();
  h.session.start();
  await until(() => h.sockets.length === 1);
  h.last().scan('972501234567');
  assert.equal(await h.session.probeIfIdle(60_000), 'skipped', 'recent activity: no probe');
  assert.equal(await h.session.probeIfIdle(1000, Date.now() + 5000), 'alive');
  h.last().deaf = true;
  assert.equal(await h.session.probeIfIdle(1000, Date.now() + 5000), 'replaced');
  await h.session.reports;
  assert.ok(h.client.ofType('connection').some((c) => c.reason === 'unresponsive'));
  assert.ok(await until(() => h.sockets.length === 2), 'a new socket replaces the deaf one');
});
