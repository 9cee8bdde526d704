// One Session per business, and resuming every stored session at start-up.

import { Session } from './session.js';
import { sleep } from './service-client.js';

export class Registry {
  /** @param {{client:any, createSocket:Function, makeAuthState:Function, logger:any, qrMaxRotations:number, backoffMs?:Function}} deps */
  constructor(deps) {
    this.deps = deps;
    this.sessions = new Map();
    this.closed = false;
  }

  session(businessId) {
    let s = this.sessions.get(businessId);
    if (!s) {
      s = new Session({ ...this.deps, businessId });
      this.sessions.set(businessId, s);
    }
    return s;
  }

  /** Starts or resumes linking for a business. */
  start(businessId) {
    const s = this.session(businessId);
    s.start();
    return s.snapshot();
  }

  get(businessId) {
    return this.sessions.get(businessId)?.snapshot() ?? null;
  }

  async logout(businessId) {
    const s = this.session(businessId);
    await s.logout();
    this.sessions.delete(businessId);
  }

  async send(businessId, jid, text, messageId) {
    const s = this.sessions.get(businessId);
    if (!s) throw Object.assign(new Error('no session'), { notConnected: true });
    return s.send(jid, text, messageId);
  }

  async typing(businessId, jid) {
    const s = this.sessions.get(businessId);
    if (!s) throw Object.assign(new Error('no session'), { notConnected: true });
    return s.typing(jid);
  }

  states() {
    const states = {};
    for (const [id, s] of this.sessions) states[id] = s.state;
    return states;
  }

  /** Asks the service which businesses have stored creds and resumes them; retries until it answers. */
  async resumeAll() {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        const ids = await this.deps.client.resumableSessions();
        for (const id of ids) this.start(id);
        this.deps.logger.info({ sessions: ids.length }, 'stored sessions resumed');
        return ids.length;
      } catch (e) {
        this.deps.logger.warn({ err: e.message }, 'whatsapp service unreachable; will retry resuming sessions');
        await sleep(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
      }
    }
    return 0;
  }

  /** Probes idle connected sessions every `everyMs` (see Session.probeIfIdle). */
  watch(idleMs, everyMs = 60_000) {
    this.watchdog = setInterval(() => {
      for (const s of this.sessions.values()) {
        s.probeIfIdle(idleMs).catch((e) => this.deps.logger.warn({ err: e.message }, 'probe failed'));
      }
    }, everyMs);
    this.watchdog.unref?.();
  }

  close() {
    if (this.watchdog) clearInterval(this.watchdog);
    this.closed = true;
    for (const s of this.sessions.values()) s.stop();
  }
}
