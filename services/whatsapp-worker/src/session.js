// One WhatsApp Web socket of one business, and its reconnect policy
// (Baileys DisconnectReason): restart required -> reconnect now; logged out ->
// clear the stored auth and report logged_out; replaced/banned -> stop; anything
// else (connection lost, timeouts, no network) -> reconnect with capped backoff.

import { inboundEvents, phoneFromJid, statusEvents } from './messages.js';

export const REASON = {
  loggedOut: 401,
  forbidden: 403,
  connectionReplaced: 440,
  restartRequired: 515,
};

export class NotConnectedError extends Error {}

export class Session {
  /**
   * @param {{businessId:string, client:any, createSocket:Function, makeAuthState:Function,
   *          logger:any, qrMaxRotations:number, backoffMs?:(attempt:number)=>number}} deps
   */
  constructor(deps) {
    this.businessId = deps.businessId;
    this.client = deps.client;
    this.createSocket = deps.createSocket;
    this.makeAuthState = deps.makeAuthState;
    this.logger = deps.logger.child({ business_id: deps.businessId });
    this.qrMaxRotations = deps.qrMaxRotations;
    this.backoffMs = deps.backoffMs ?? defaultBackoff;
    this.state = 'disconnected';
    this.phone = null;
    this.reason = null;
    this.sock = null;
    this.stopped = true;
    this.attempts = 0;
    this.qrRotations = 0;
    this.timer = null;
    this.lastInboundAt = null;
    this.lastActivityAt = Date.now();
    this.reports = Promise.resolve();
  }

  /** Starts (or keeps) the socket. Idempotent. */
  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempts = 0;
    this.qrRotations = 0;
    this.connect();
  }

  async connect() {
    this.timer = null;
    if (this.stopped) return;
    let auth;
    try {
      auth = await this.makeAuthState(this.businessId, this.client);
    } catch (e) {
      this.logger.warn({ err: e.message }, 'auth state unavailable; retrying');
      this.setState('disconnected', 'service_unreachable');
      return this.retryLater();
    }
    if (this.stopped) return;
    let sock;
    try {
      sock = await this.createSocket({ auth: auth.state, logger: this.logger, businessId: this.businessId });
    } catch (e) {
      this.logger.warn({ err: e.message }, 'socket could not be created; retrying');
      this.setState('disconnected', 'connection_lost');
      return this.retryLater();
    }
    this.sock = sock;
    this.setState('connecting', null);
    sock.ev.on('creds.update', () => {
      auth.saveCreds().catch((e) => this.logger.error({ err: e.message }, 'creds not saved'));
    });
    const seen = () => { this.lastActivityAt = Date.now(); };
    sock.ev.on('connection.update', (u) => { seen(); this.onConnectionUpdate(u, sock); });
    sock.ev.on('messages.upsert', (u) => { seen(); this.onMessages(u); });
    sock.ev.on('messages.update', (u) => { seen(); this.onStatus(u); });
  }

  onConnectionUpdate(update, sock) {
    if (sock !== this.sock) return; // a replaced socket's late events
    if (update.qr) {
      this.qrRotations += 1;
      if (this.qrRotations > this.qrMaxRotations) {
        // bounded rotations: stop instead of looping QR codes forever; the owner can try again
        this.stopped = true;
        this.dropSocket();
        this.setState('disconnected', 'qr_expired');
        return;
      }
      this.report('qr', { qr: update.qr });
      this.setState('waiting_for_qr', null);
    }
    if (update.connection === 'open') {
      this.attempts = 0;
      this.qrRotations = 0;
      this.phone = phoneFromJid(sock.user?.id);
      this.setState('connected', null);
    } else if (update.connection === 'close') {
      this.onClose(update.lastDisconnect?.error?.output?.statusCode);
    }
  }

  onClose(code) {
    this.dropSocket();
    if (this.stopped) return;
    switch (code) {
      case REASON.loggedOut:
        this.stopped = true;
        this.phone = null;
        this.client.clearAuth(this.businessId).catch((e) => this.logger.error({ err: e.message }, 'auth not cleared'));
        this.setState('logged_out', 'logged_out');
        return;
      case REASON.restartRequired:
        // normal right after the QR is scanned
        this.connect();
        return;
      case REASON.connectionReplaced:
        this.stopped = true;
        this.setState('disconnected', 'connection_replaced');
        return;
      case REASON.forbidden:
        this.stopped = true;
        this.setState('disconnected', 'banned');
        return;
      default:
        this.setState('disconnected', 'connection_lost');
        this.retryLater();
    }
  }

  retryLater() {
    if (this.stopped || this.timer) return;
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), this.backoffMs(this.attempts));
    this.timer.unref?.();
  }

  onMessages(upsert) {
    for (const event of inboundEvents(upsert)) {
      if (!event.from_me) this.lastInboundAt = new Date().toISOString();
      this.report('message', event);
    }
  }

  onStatus(updates) {
    for (const event of statusEvents(updates)) this.report('message_status', event);
  }

  /**
   * Sends a text; returns WhatsApp's message id. The service may choose the id
   * (`messageId`) so a receipt or our own echo that overtakes this call still
   * finds the stored message.
   */
  async send(jid, text, messageId) {
    if (this.state !== 'connected' || !this.sock) throw new NotConnectedError('not connected');
    const sent = await this.sock.sendMessage(jid, { text }, messageId ? { messageId } : undefined);
    return sent?.key?.id ?? null;
  }

  /**
   * "Connected but deaf" guard: a connected socket with no event for `idleMs`
   * is probed with a real server query; if that fails it is replaced
   * (reason `unresponsive`) instead of silently missing messages.
   */
  async probeIfIdle(idleMs, now = Date.now()) {
    const sock = this.sock;
    if (this.state !== 'connected' || !sock || now - this.lastActivityAt < idleMs) return 'skipped';
    try {
      await sock.onWhatsApp(this.phone ? this.phone.slice(1) : '0');
      this.lastActivityAt = Date.now();
      return 'alive';
    } catch (e) {
      if (sock !== this.sock) return 'skipped';
      this.logger.warn({ err: e.message }, 'connected socket does not answer; reconnecting');
      this.dropSocket();
      this.setState('disconnected', 'unresponsive');
      this.retryLater();
      return 'replaced';
    }
  }

  /** Shows "typing..." in the chat before an AI reply (looks less like a bot to WhatsApp). */
  async typing(jid) {
    if (this.state !== 'connected' || !this.sock) throw new NotConnectedError('not connected');
    await this.sock.sendPresenceUpdate?.('composing', jid);
  }

  /** Logs out on the phone, forgets the auth state, reports logged_out. */
  async logout() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const sock = this.sock;
    this.dropSocket();
    if (sock) {
      try {
        await sock.logout();
      } catch (e) {
        this.logger.warn({ err: e.message }, 'logout on WhatsApp failed; forgetting locally');
      }
    }
    await this.client.clearAuth(this.businessId);
    this.phone = null;
    this.setState('logged_out', 'logged_out');
  }

  /** Stops without logging out (shutdown). */
  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dropSocket();
  }

  dropSocket() {
    const sock = this.sock;
    this.sock = null;
    if (!sock) return;
    sock.ev.removeAllListeners?.();
    try {
      sock.end?.(undefined);
    } catch {
      // already closed
    }
  }

  setState(state, reason) {
    const changed = state !== this.state || reason !== this.reason;
    this.state = state;
    this.reason = reason;
    if (changed) this.report('connection', { state, phone: this.phone, reason });
  }

  /** Events of one business reach the service in order; a failure is logged, never thrown. */
  report(type, data) {
    this.reports = this.reports
      .then(() => this.client.postEvent(this.businessId, type, data))
      .catch((e) => this.logger.warn({ err: e.message, event: type }, 'event not delivered to the whatsapp service'));
    return this.reports;
  }

  snapshot() {
    return { business_id: this.businessId, state: this.state, phone: this.phone, reason: this.reason, last_inbound_at: this.lastInboundAt };
  }
}

function defaultBackoff(attempt) {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
  return base / 2 + Math.random() * (base / 2);
}
