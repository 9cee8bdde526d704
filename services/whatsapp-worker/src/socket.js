// Creates the socket of one business: Baileys for real, or the fake when
// WORKER_FAKE_SOCKET=1 (the cross-language test, local development without a phone).

import { FakeSocket } from './fake-socket.js';

/** @returns {(opts:{auth:any, logger:any}) => Promise<any>} */
export function socketFactory({ fake, onFakeSocket = () => {} }) {
  if (fake) {
    return async ({ businessId }) => {
      const sock = new FakeSocket();
      onFakeSocket(businessId, sock);
      return sock;
    };
  }
  return async ({ auth, logger }) => {
    const baileys = await import('baileys');
    const makeWASocket = baileys.default;
    return makeWASocket({
      auth: { creds: auth.creds, keys: baileys.makeCacheableSignalKeyStore(auth.keys, logger) },
      logger: logger.child({ module: 'baileys' }, { level: 'warn' }),
      browser: baileys.Browsers.ubuntu('ProSaaS'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      shouldSyncHistoryMessage: () => false,
      // history and groups are not part of the CRM
      shouldIgnoreJid: (jid) => baileys.isJidGroup(jid) || baileys.isJidBroadcast(jid) || jid?.endsWith('@newsletter'),
    });
  };
}
