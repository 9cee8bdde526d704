"""Routing checks of nginx/nginx.conf in front of the running services.

usage: check_edge.py EDGE_URL
Each check prints ok/FAIL; exit status 1 when any fails."""
import json
import socket
import sys
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlparse

EDGE = sys.argv[1].rstrip("/")
results = []


def request(method, path, body=None, headers=None):
    req = urllib.request.Request(EDGE + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict((k.lower(), v) for k, v in r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read()


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"  ({detail})"))


def reached_service(method, path, body=None, content_type=None):
    """True when a ProSaaS service (not nginx) answered: it echoes x-request-id."""
    rid = str(uuid.uuid4())
    headers = {"x-request-id": rid}
    if content_type:
        headers["content-type"] = content_type
    status, hdrs, _ = request(method, path, body, headers)
    return status, hdrs.get("x-request-id") == rid


status, _, body = request("GET", "/health")
check("GET /health answered by the edge", status == 200 and b'"edge"' in body, status)

status, _, body = request("GET", "/api/health")
ok = status == 200 and json.loads(body or b"{}").get("db") == "ok"
check("GET /api/health -> api, 200 with db ok", ok, f"{status} {body[:200]!r}")

index = request("GET", "/")[2]
for route in ("/leads", "/whatsapp", "/sign/abc123token"):
    status, hdrs, body = request("GET", route)
    check(f"SPA fallback {route} -> index.html", status == 200 and body == index and b"<div id=\"root\"" in body, status)

status, _, body = request("GET", "/assets/does-not-exist.js")
check("missing asset is 404, not index.html", status == 404, status)

status, _, body = request("GET", "/api/no-such-route")
check("unknown /api/ path -> api JSON 404", status == 404 and b'"error"' in body, f"{status} {body[:120]!r}")

status, echoed = reached_service("POST", "/webhook/incoming_call", b"CallSid=CAtest&To=%2B10000000000&From=%2B10000000001",
                                 "application/x-www-form-urlencoded")
check("POST /webhook/incoming_call routed to voice", echoed and status not in (404, 405, 502, 503, 504), status)

status, echoed = reached_service("GET", "/api/whatsapp/status")
check("/api/whatsapp/ routed to whatsapp", echoed and status not in (404, 502, 503, 504), status)

status, echoed = reached_service("GET", "/api/events")
check("/api/events routed to api", echoed and status not in (502, 503, 504), status)

# /ws/media: a websocket handshake must reach voice (not fail at the edge).
u = urlparse(EDGE)
with socket.create_connection((u.hostname, u.port or 80), timeout=10) as s:
    s.sendall(("GET /ws/media HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" % u.netloc).encode())
    first = s.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
code = int(first.split()[1]) if len(first.split()) > 1 else 0
check("/ws/media websocket upgrade reaches voice", code not in (0, 404, 502, 503, 504), first)

for path, upstream in (("/n8n/", "/"), ("/n8n/rest/settings", "/rest/settings"),
                       ("/n8n/webhook/new-lead", "/webhook/new-lead")):
    status, _, body = request("GET", path, headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    try:
        seen = json.loads(body)
    except ValueError:
        seen = {}
    check(f"{path} -> n8n {upstream} (prefix stripped)", status == 200 and seen.get("path") == upstream, f"{status} {body[:120]!r}")
    if path == "/n8n/rest/settings":
        h = seen.get("headers", {})
        check("n8n gets Host, X-Forwarded-Proto and the websocket upgrade",
              h.get("host") == u.netloc and h.get("x-forwarded-proto") == "http" and h.get("upgrade") == "websocket", h)

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
