import { test } from 'node:test';
import assert from 'node:assert/strict';

import { inboundEvents, messageText, phoneFromJid, statusEvents } from '../src/messages.js';

test('personal text messages become message events; groups, status and protocol messages do not', () => {
  const events = inboundEvents({
    type: 'notify',
    messages: [
      { key: { id: 'A1', remoteJid: '972501234567@s.whatsapp.net', fromMe: false }, message: { conversation: 'hi' }, pushName: 'Dana', messageTimestamp: 1700000000 },
      { key: { id: 'A2', remoteJid: '123456789@lid', remoteJidAlt: '972501234567@s.whatsapp.net' }, message: { extendedTextMessage: { text: 'hello' } } },
      { key: { id: 'G1', remoteJid: '1203630@g.us' }, message: { conversation: 'group' } },
      { key: { id: 'S1', remoteJid: 'status@broadcast' }, message: { conversation: 'story' } },
      { key: { id: 'P1', remoteJid: '972501234567@s.whatsapp.net' }, message: { protocolMessage: { type: 0 } } },
      { key: { id: 'I1', remoteJid: '972501234567@s.whatsapp.net' }, message: { imageMessage: { caption: 'look' } } },
    ],
  });
  assert.deepEqual(events.map((e) => e.wa_message_id), ['A1', 'A2', 'I1']);
  assert.equal(events[0].push_name, 'Dana');
  assert.equal(events[0].timestamp, 1700000000);
  assert.equal(events[1].alt_jid, '972501234567@s.whatsapp.net');
  assert.equal(events[2].text, 'look');
});

test('history appends are not live messages', () => {
  assert.deepEqual(inboundEvents({ type: 'append', messages: [{ key: { id: 'x', remoteJid: '1@s.whatsapp.net' }, message: { conversation: 'old' } }] }), []);
});

test('media without caption gets a placeholder', () => {
  assert.equal(messageText({ audioMessage: { seconds: 3 } }), '[audio]');
  assert.equal(messageText({}), null);
});

test('status updates of our own messages map to words', () => {
  const events = statusEvents([
    { key: { id: 'O1', fromMe: true }, update: { status: 3 } },
    { key: { id: 'O2', fromMe: true }, update: { status: 4 } },
    { key: { id: 'I1', fromMe: false }, update: { status: 4 } },
    { key: { id: 'O3', fromMe: true }, update: { starred: true } },
  ]);
  assert.deepEqual(events, [{ wa_message_id: 'O1', status: 'delivered' }, { wa_message_id: 'O2', status: 'read' }]);
});

test('phone from a device jid', () => {
  assert.equal(phoneFromJid('972501234567:12@s.whatsapp.net'), '+972501234567');
  assert.equal(phoneFromJid('123@lid'), null);
  assert.equal(phoneFromJid(undefined), null);
});
