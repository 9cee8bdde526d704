"""Checks on the resolved compose file (argv[1]) and the files it names."""
import os
import re
import sys

import yaml

doc = yaml.safe_load(open(sys.argv[1]))
services = doc.get("services", {})
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"  ({detail})"))


need = {"api", "voice", "whatsapp", "whatsapp-worker", "redis", "n8n", "nginx", "migrate"}
check("services " + ", ".join(sorted(need)), need <= set(services), sorted(need - set(services)))

dockerfiles = {}
for name, svc in services.items():
    build = svc.get("build")
    if not build:
        continue
    path = os.path.join(build["context"], build.get("dockerfile", "Dockerfile"))
    check(f"{name}: {os.path.relpath(path)} exists", os.path.isfile(path), path)
    if os.path.isfile(path):
        dockerfiles[os.path.relpath(path)] = open(path).read()

for path, text in sorted(dockerfiles.items()):
    final = text.split("\nFROM ")[-1]
    check(f"{path}: runtime stage runs as a non-root user", re.search(r"^USER\s+(?!root\b|0\b)\S+", final, re.M), path)
    for node in re.findall(r"^FROM\s+node:(\d+)", text, re.M):
        check(f"{path}: Node {node} >= 20", int(node) >= 20, node)

upstreams = set(re.findall(r"server\s+([a-z0-9-]+):\d+", open("nginx/nginx.conf").read()))
check("nginx upstream hosts are compose services", upstreams and upstreams <= set(services), upstreams - set(services))

for name in ("api", "voice", "whatsapp", "whatsapp-worker", "redis", "nginx", "n8n"):
    check(f"{name} has a healthcheck", "healthcheck" in services.get(name, {}), name)

env_example = open(".env.example").read()
listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", env_example, re.M))
used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", open("docker-compose.yml").read()))
check(".env.example lists every variable docker-compose.yml reads", used <= listed, sorted(used - listed))

text = open("docker-compose.yml").read().lower()
check("no Replit hosts in docker-compose.yml", "replit" not in text)
print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
