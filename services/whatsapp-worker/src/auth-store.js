// Baileys auth state persisted through the whatsapp service (Postgres,
// encrypted at rest there). Not the multi-file store: a redeploy resumes every
// linked business without a new QR. Every creds update and every key change is
// written (one transaction per batch) before Baileys continues, so no Signal key
// is lost between receipt and storage (lost keys = undecryptable messages).

import { BufferJSON, initAuthCreds, proto } from 'baileys';

const encode = (value) => JSON.stringify(value, BufferJSON.replacer);
const decode = (text) => JSON.parse(text, BufferJSON.reviver);

/**
 * @param {string} businessId
 * @param {import('./service-client.js').ServiceClient} client
 * @returns {Promise<{state:{creds:any, keys:any}, saveCreds:() => Promise<void>}>}
 */
export async function serviceAuthState(businessId, client) {
  const stored = await client.loadCreds(businessId);
  const creds = stored ? decode(stored) : initAuthCreds();
  // serialise writes of one business so a later change never lands before an earlier one
  let chain = Promise.resolve();
  const enqueue = (change) => {
    const next = chain.then(() => client.writeAuth(businessId, change));
    chain = next.catch(() => {});
    return next;
  };

  const keys = {
    async get(type, ids) {
      if (ids.length === 0) return {};
      const raw = await client.loadKeys(businessId, type, ids);
      const out = {};
      for (const id of ids) {
        const text = raw[id];
        if (text === undefined || text === null) continue;
        let value = decode(text);
        if (type === 'app-state-sync-key' && value) {
          value = proto.Message.AppStateSyncKeyData.fromObject(value);
        }
        out[id] = value;
      }
      return out;
    },
    async set(data) {
      const changes = [];
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          changes.push({ type, id, value: value === null || value === undefined ? null : encode(value) });
        }
      }
      if (changes.length > 0) await enqueue({ keys: changes });
    },
    async clear() {
      await client.clearAuth(businessId);
    },
  };

  return {
    state: { creds, keys },
    saveCreds: () => enqueue({ creds: encode(creds) }),
  };
}

export { encode as encodeAuthValue, decode as decodeAuthValue };
