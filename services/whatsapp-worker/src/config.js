// Worker settings, read once from the environment. Every host and port is
// configurable; nothing here is specific to one business.

/** @typedef {{port:number, host:string, secret:string, serviceUrl:string, fakeSocket:boolean, qrMaxRotations:number, logLevel:string, requestTimeoutMs:number, idleProbeMs:number}} WorkerConfig */

/**
 * Reads the configuration; throws with the variable's name when a value is unusable.
 * @param {Record<string,string|undefined>} env
 * @returns {WorkerConfig}
 */
export function readConfig(env = process.env) {
  const secret = (env.WHATSAPP_WORKER_SECRET ?? '').trim();
  if (secret.length < 16) {
    throw new Error('WHATSAPP_WORKER_SECRET is required (at least 16 characters, shared with the whatsapp service)');
  }
  const serviceUrl = (env.WHATSAPP_SERVICE_URL ?? 'http://127.0.0.1:5002').replace(/\/+$/, '');
  try {
    new URL(serviceUrl);
  } catch {
    throw new Error('WHATSAPP_SERVICE_URL is not a URL');
  }
  return {
    port: number(env, 'WORKER_PORT', 3300),
    host: env.WORKER_HOST ?? '0.0.0.0',
    secret,
    serviceUrl,
    fakeSocket: ['1', 'true', 'yes'].includes((env.WORKER_FAKE_SOCKET ?? '').toLowerCase()),
    qrMaxRotations: number(env, 'WHATSAPP_QR_MAX_ROTATIONS', 10),
    logLevel: env.LOG_LEVEL ?? 'info',
    requestTimeoutMs: number(env, 'WORKER_SERVICE_TIMEOUT_MS', 10000),
    idleProbeMs: number(env, 'WHATSAPP_IDLE_PROBE_MS', 30 * 60 * 1000),
  };
}

function number(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} is not a valid number`);
  return n;
}
