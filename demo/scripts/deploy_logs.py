"""Runs the demo service as two releases, one after the other, and writes their JSON-lines log: the deploy the
Patterns view's "What is new" finds.

    python3 scripts/deploy_logs.py [--out logs/deploy.jsonl] [--before 60] [--after 60] [--seed 11]

From the demo folder; Python 3.11 standard library only. Release 2026.11.20 serves --before seconds of
traffic from two clients, then is stopped; release 2026.11.29 (SERVICE_RELEASE, with the catalogue fallback
flag of that release on: CATALOGUE_FALLBACK=1) serves --after seconds from three clients with more malformed
requests (the traffic of scripts/load.py). Both run under
scripts/deployed.py (this folder as /app) and append to --out, which is replaced first. Every line is the
service's own logging; nothing is written here.
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from load import client, free_port  # noqa: E402 - the same traffic as scripts/load.py


def serve(release, env, out, seconds, seed, stats, lock, clients, bad_share):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "deployed.py"), "--map", f"{DEMO}=/app", "-m", "service.server", "--port", str(port), "--log-json", out],
        cwd=DEMO,
        env={**os.environ, "SERVICE_RELEASE": release, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"release {release} did not start:\n{server.stderr.read() if server.poll() is not None else ''}")
                time.sleep(0.2)
        print(f"release {release}: {seconds:.0f} s of traffic", flush=True)
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=client, args=(port, random.Random(seed * 100 + i), until, bad_share, 0.5, stats, lock)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(DEMO, "logs", "deploy.jsonl"))
    parser.add_argument("--before", type=float, default=60, help="seconds of traffic on release 2026.11.20")
    parser.add_argument("--after", type=float, default=60, help="seconds of traffic on release 2026.11.29")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    stats, lock = {}, threading.Lock()
    # Before: two clients, a few malformed requests. After the deploy, as in the incident: a third client (the
    # new client release) and more malformed requests, some pinning items the catalogue import removed.
    serve("2026.11.20", {}, out, args.before, args.seed, stats, lock, 2, 0.08)
    serve("2026.11.29", {"CATALOGUE_FALLBACK": "1"}, out, args.after, args.seed + 1, stats, lock, 3, 0.3)
    for (kind, status), n in sorted(stats.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        print(f"  {kind:7} -> {status}: {n}")
    with open(out, encoding="utf-8") as f:
        lines = f.read().count("\n")
    print(f"wrote {os.path.relpath(out, DEMO)}: {lines} lines, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
