import { test } from 'node:test';
import assert from 'node:assert/strict';

import { serviceAuthState } from '../src/auth-store.js';
import { BUSINESS, MemoryClient } from './helpers.js';

test('new creds are generated, saved and come back with their Buffers', async () => {
  const client = new MemoryClient();
  const first = await serviceAuthState(BUSINESS, client);
  assert.ok(Buffer.isBuffer(first.state.creds.noiseKey.private));
  await first.saveCreds();
  const again = await serviceAuthState(BUSINESS, client);
  assert.deepEqual(again.state.creds.noiseKey.private, first.state.creds.noiseKey.private);
  assert.equal(again.state.creds.registrationId, first.state.creds.registrationId);
});

test('key changes are written in one batch; null deletes', async () => {
  const client = new MemoryClient();
  const { state } = await serviceAuthState(BUSINESS, client);
  await state.keys.set({ 'pre-key': { 1: { public: Buffer.from([1, 2]), private: Buffer.from([3]) }, 2: { public: Buffer.from([4]), private: Buffer.from([5]) } }, session: { 'a.0': Buffer.from('s') } });
  assert.equal(client.writes, 1);
  const got = await state.keys.get('pre-key', ['1', '2', '3']);
  assert.deepEqual(Object.keys(got).sort(), ['1', '2']);
  assert.deepEqual(got['1'].public, Buffer.from([1, 2]));
  await state.keys.set({ 'pre-key': { 1: null } });
  assert.deepEqual(Object.keys(await state.keys.get('pre-key', ['1', '2'])), ['2']);
});

test('writes of one business keep their order', async () => {
  const client = new MemoryClient();
  const order = [];
  const write = client.writeAuth.bind(client);
  client.writeAuth = async (b, change) => {
    // the first write is slow; the second must still land after it
    if (change.keys?.[0]?.id === 'slow') await new Promise((r) => setTimeout(r, 30));
    order.push(change.keys?.[0]?.id);
    return write(b, change);
  };
  const { state } = await serviceAuthState(BUSINESS, client);
  await Promise.all([state.keys.set({ session: { slow: Buffer.from('1') } }), state.keys.set({ session: { fast: Buffer.from('2') } })]);
  assert.deepEqual(order, ['slow', 'fast']);
});
