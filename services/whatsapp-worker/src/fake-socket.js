// A stand-in for Baileys' socket at its event-emitter boundary (WORKER_FAKE_SOCKET=1
// and the node tests). It emits what Baileys emits: `connection.update` with a
// `qr`, then `open`/`close`; `messages.upsert`; `messages.update`.

import { EventEmitter } from 'node:events';

let sent = 0;

export class FakeSocket {
  constructor({ autoQr = true } = {}) {
    this.ev = new EventEmitter();
    this.user = undefined;
    this.ended = false;
    this.loggedOut = false;
    this.sentMessages = [];
    if (autoQr) {
      setImmediate(() => {
        if (this.ended) return;
        this.ev.emit('connection.update', { connection: 'connecting' });
        this.ev.emit('connection.update', { qr: `fake-qr-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` });
      });
    }
  }

  /** The phone scanned the QR: WhatsApp opens the connection. */
  scan(phoneDigits) {
    this.user = { id: `${phoneDigits}:7@s.whatsapp.net` };
    this.ev.emit('connection.update', { connection: 'open' });
  }

  /** WhatsApp delivers a message from a contact. */
  inbound({ id, jid, altJid = null, text, pushName = null, fromMe = false }) {
    this.ev.emit('messages.upsert', {
      type: 'notify',
      messages: [{
        key: { id, remoteJid: jid, remoteJidAlt: altJid ?? undefined, fromMe },
        message: { conversation: text },
        pushName,
        messageTimestamp: Math.floor(Date.now() / 1000),
      }],
    });
  }

  /** The connection closes with a Baileys DisconnectReason status code. */
  close(statusCode) {
    const error = Object.assign(new Error('closed'), { output: { statusCode } });
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  async sendMessage(jid, content, options) {
    sent += 1;
    const id = options?.messageId ?? `FAKEOUT${Date.now()}${sent}`;
    this.sentMessages.push({ jid, content, id });
    setImmediate(() => this.ev.emit('messages.update', [{ key: { id, remoteJid: jid, fromMe: true }, update: { status: 3 } }]));
    return { key: { id, remoteJid: jid, fromMe: true } };
  }

  /** A server round trip; `deaf = true` makes it fail like a dead socket. */
  async onWhatsApp(...ids) {
    if (this.deaf) throw new Error('timed out');
    return ids.map((id) => ({ jid: `${id}@s.whatsapp.net`, exists: true }));
  }

  async sendPresenceUpdate(type, jid) {
    this.presence = { type, jid };
  }

  async logout() {
    this.loggedOut = true;
    this.close(401);
  }

  end() {
    this.ended = true;
  }
}
