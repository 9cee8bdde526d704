// Entry point: read config, start the HTTP API, resume stored sessions.
// Never exits on a socket or network failure (no crash loop without internet);
// only a bad configuration stops it.

import pino from 'pino';

import { serviceAuthState } from './auth-store.js';
import { readConfig } from './config.js';
import { createServer } from './http.js';
import { Registry } from './registry.js';
import { ServiceClient } from './service-client.js';
import { socketFactory } from './socket.js';

let config;
try {
  config = readConfig();
} catch (e) {
  process.stderr.write(`whatsapp-worker: configuration error: ${e.message}\n`);
  process.exit(2);
}

const logger = pino({ level: config.logLevel, base: { service: 'whatsapp-worker' } });
const client = new ServiceClient(config, logger);
const fakeSockets = config.fakeSocket ? new Map() : undefined;
const registry = new Registry({
  client,
  logger,
  qrMaxRotations: config.qrMaxRotations,
  makeAuthState: serviceAuthState,
  createSocket: socketFactory({ fake: config.fakeSocket, onFakeSocket: (id, s) => fakeSockets?.set(id, s) }),
});

process.on('unhandledRejection', (e) => logger.error({ err: String(e?.message ?? e) }, 'unhandled rejection (kept running)'));
process.on('uncaughtException', (e) => logger.error({ err: String(e?.message ?? e) }, 'uncaught exception (kept running)'));

const server = createServer({ registry, secret: config.secret, logger, fakeSockets });
server.listen(config.port, config.host, () => {
  const addr = server.address();
  logger.info({ port: typeof addr === 'object' ? addr?.port : config.port, fake_socket: config.fakeSocket }, 'whatsapp worker listening');
  registry.resumeAll();
  registry.watch(config.idleProbeMs);
});

const shutdown = () => {
  registry.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
