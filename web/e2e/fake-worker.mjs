// A fake Baileys worker for the browser e2e: speaks the worker protocol of
// docs/api.md ("Internal: whatsapp service <-> Baileys worker") and rotates the
// QR every few seconds, the way WhatsApp does, so the page must swap it.
import { createServer } from "node:http";

/**
 * Posts one worker event to the whatsapp service, as the Baileys worker does.
 * @returns {Promise<number>} the HTTP status (0 when unreachable)
 */
export async function emitWorkerEvent({ secret, serviceUrl }, businessId, type, data) {
  try {
    const res = await fetch(`${serviceUrl}/internal/whatsapp/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-worker-secret": secret },
      body: JSON.stringify({ business_id: businessId, type, data }),
    });
    return res.status;
  } catch {
    return 0;
  }
}

/** A QR payload shaped like WhatsApp's (ref,publicKey,identityKey,advSecret). */
export const fakeQr = (n) => `2@e2e-fake-qr-${n}-${Date.now()},AbCdEf==,GhIjKl==,MnOpQr==`;

/**
 * @param {{port:number, secret:string, serviceUrl:string, rotateMs?:number, maxRotations?:number}} opts
 */
export function startFakeWorker({ port, secret, serviceUrl, rotateMs = 3000, maxRotations = 20 }) {
  const sessions = new Map(); // business_id -> {state, timer, n}
  const emit = (businessId, type, data) => emitWorkerEvent({ secret, serviceUrl }, businessId, type, data);

  function start(businessId) {
    const old = sessions.get(businessId);
    if (old?.timer) clearInterval(old.timer);
    const s = { state: "connecting", n: 0, timer: null };
    sessions.set(businessId, s);
    const rotate = () => {
      if (s.state === "connected") return;
      s.n += 1;
      if (s.n > maxRotations) {
        clearInterval(s.timer);
        return;
      }
      s.state = "waiting_for_qr";
      void emit(businessId, "qr", { qr: fakeQr(s.n) });
    };
    void emit(businessId, "connection", { state: "connecting" }).then(rotate);
    s.timer = setInterval(rotate, rotateMs);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (url.pathname === "/health") {
      return send(200, { status: "ok", sessions: sessions.size, states: Object.fromEntries([...sessions].map(([k, v]) => [k, v.state])) });
    }
    if (req.headers["x-worker-secret"] !== secret) return send(401, { error: { code: "invalid_worker_secret", message: "" } });
    const m = url.pathname.match(/^\/sessions\/([^/]+)(\/messages)?$/);
    if (!m) return send(404, { error: { code: "not_found", message: "" } });
    const businessId = m[1];
    req.resume();
    if (m[2]) {
      const s = sessions.get(businessId);
      if (s?.state !== "connected") return send(409, { error: { code: "not_connected", message: "" } });
      const id = `E2EOUT${Date.now()}`;
      setTimeout(() => void emit(businessId, "message_status", { wa_message_id: id, status: "delivered" }), 200);
      return send(200, { wa_message_id: id });
    }
    if (req.method === "POST") {
      start(businessId);
      return send(202, { business_id: businessId, state: "connecting" });
    }
    if (req.method === "GET") {
      const s = sessions.get(businessId);
      return s ? send(200, { business_id: businessId, state: s.state, phone: null }) : send(404, { error: { code: "not_found", message: "" } });
    }
    if (req.method === "DELETE") {
      const s = sessions.get(businessId);
      if (s?.timer) clearInterval(s.timer);
      sessions.delete(businessId);
      void emit(businessId, "connection", { state: "logged_out", reason: "logged_out" });
      res.writeHead(204);
      return res.end();
    }
    return send(405, { error: { code: "method_not_allowed", message: "" } });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        /** The phone scanned the code: the session is linked to `phone`. */
        connect: async (businessId, phone) => {
          const s = sessions.get(businessId) ?? { state: "connecting", n: 0, timer: null };
          s.state = "connected";
          if (s.timer) clearInterval(s.timer);
          s.state = "connected";
          sessions.set(businessId, s);
          return emit(businessId, "connection", { state: "connected", phone });
        },
        close: () => {
          for (const s of sessions.values()) if (s.timer) clearInterval(s.timer);
          return new Promise((r) => server.close(() => r()));
        },
      }),
    );
  });
}
