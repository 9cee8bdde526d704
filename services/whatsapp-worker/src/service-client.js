// The only way the worker reaches the rest of ProSaaS: HTTP to the Rust
// whatsapp service, with the shared secret, a timeout and a bounded retry.

const SECRET_HEADER = 'x-worker-secret';

export class ServiceError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export class ServiceClient {
  /**
   * @param {{serviceUrl:string, secret:string, requestTimeoutMs:number}} config
   * @param {{warn:Function}} logger
   */
  constructor(config, logger) {
    this.base = config.serviceUrl;
    this.secret = config.secret;
    this.timeoutMs = config.requestTimeoutMs;
    this.logger = logger;
  }

  async request(method, path, body, { retries = 2 } = {}) {
    let lastError;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(200 * 2 ** attempt);
      try {
        const res = await fetch(this.base + path, {
          method,
          headers: { [SECRET_HEADER]: this.secret, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.status === 204) return null;
        const text = await res.text();
        if (!res.ok) {
          const err = new ServiceError(`service answered ${res.status} to ${method} ${path.split('/').slice(0, 4).join('/')}`, res.status);
          // 4xx will not get better by retrying
          if (res.status < 500) throw err;
          lastError = err;
          continue;
        }
        return text ? JSON.parse(text) : null;
      } catch (e) {
        if (e instanceof ServiceError && e.status < 500) throw e;
        lastError = e;
      }
    }
    throw lastError;
  }

  /** Sends one event (qr, connection, message, message_status). */
  postEvent(businessId, type, data) {
    return this.request('POST', '/internal/whatsapp/events', { business_id: businessId, type, data });
  }

  /** Stored creds (BufferJSON text) or null. */
  async loadCreds(businessId) {
    const res = await this.request('GET', `/internal/whatsapp/auth/${businessId}`);
    return res?.creds ?? null;
  }

  /** Stored signal keys of one type: {id: BufferJSON text}. */
  async loadKeys(businessId, type, ids) {
    const res = await this.request('POST', `/internal/whatsapp/auth/${businessId}/keys`, { type, ids });
    return res?.values ?? {};
  }

  /** Writes creds and/or key changes in one transaction on the service side. */
  writeAuth(businessId, change) {
    return this.request('PUT', `/internal/whatsapp/auth/${businessId}`, change, { retries: 4 });
  }

  /** Deletes the stored auth state (after a log out). */
  clearAuth(businessId) {
    return this.request('DELETE', `/internal/whatsapp/auth/${businessId}`, undefined, { retries: 4 });
  }

  /** Businesses with stored creds, to resume at start-up. */
  async resumableSessions() {
    const res = await this.request('GET', '/internal/whatsapp/sessions');
    return Array.isArray(res?.business_ids) ? res.business_ids : [];
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
