"""Runs the demo service and sends it real traffic, so its JSON-lines log holds real tracebacks.

    python3 scripts/load.py [--out logs/service.jsonl] [--before 480] [--after 75] [--seed 7]

From the demo folder; Python 3.11 standard library only. The service runs under scripts/deployed.py with
this folder mapped to /app (as in its container), logging JSON lines (`--log-json`) to --out, which is
replaced. Traffic has two phases, as in the incident's story:

- before (--before seconds): one client, a request every ~3 s, about 1% of them malformed;
- after (--after seconds): three clients at once after the catalogue import and a client release, with
  malformed feature vectors (wrong length — mostly from two users on the new client —, not a list, nulls),
  a bad user id, broken JSON, all-zero vectors, pinned items that no longer exist, and, because requests
  now overlap, requests that run past the service's 1 s deadline.

Every failure is raised by the service's own code and logged by its own handler; nothing is written here.
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body, timeout=30):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/recommend", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def good(rng):
    return {"user_id": rng.randint(1, 60), "features": [round(rng.uniform(-1, 1), 3) for _ in range(16)]}


def bad(rng):
    """One malformed request; returns (kind, body bytes)."""
    kind = rng.choices(["shape", "pinned", "type", "null", "user", "json", "zero"], weights=[34, 22, 10, 10, 8, 8, 8])[0]
    p = good(rng)
    if kind == "shape":
        # The new client release sends 15 or 17 features; most of its traffic comes from two heavy users.
        p["features"] = p["features"][: rng.choice([8, 15])] if rng.random() < 0.5 else p["features"] + [0.0]
        p["user_id"] = rng.choice([7, 7, 7, 13, 13, rng.randint(1, 60)])
    elif kind == "pinned":
        p["pinned"] = [rng.randint(2000, 9000)]
    elif kind == "type":
        p["features"] = ",".join(str(v) for v in p["features"])
    elif kind == "null":
        p["features"][rng.randrange(16)] = None
    elif kind == "user":
        p["user_id"] = rng.choice(["anonymous", "", "u-17"])
    elif kind == "zero":
        p["features"] = [0.0] * 16
    if kind == "json":
        return kind, json.dumps(p).encode()[: rng.randint(5, 40)]
    return kind, json.dumps(p).encode()


def client(port, rng, until, bad_share, pause, stats, lock):
    while time.monotonic() < until:
        if rng.random() < bad_share:
            kind, body = bad(rng)
        else:
            kind, body = "good", json.dumps(good(rng)).encode()
        status = post(port, body)
        with lock:
            stats[(kind, status)] = stats.get((kind, status), 0) + 1
        time.sleep(pause * rng.uniform(0.5, 1.5))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(DEMO, "logs", "service.jsonl"))
    parser.add_argument("--before", type=float, default=480, help="seconds of normal traffic")
    parser.add_argument("--after", type=float, default=75, help="seconds of traffic after the change")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.remove(out)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "deployed.py"), "--map", f"{DEMO}=/app", "-m", "service.server", "--port", str(port), "--log-json", out],
        cwd=DEMO,
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
                    raise SystemExit(f"the service did not start:\n{server.stderr.read() if server.poll() is not None else ''}")
                time.sleep(0.2)
        stats, lock = {}, threading.Lock()
        rng = random.Random(args.seed)
        print(f"before: {args.before:.0f} s of normal traffic", flush=True)
        client(port, rng, time.monotonic() + args.before, 0.01, 3.0, stats, lock)
        print(f"after: {args.after:.0f} s, three clients, malformed requests", flush=True)
        until = time.monotonic() + args.after
        threads = [threading.Thread(target=client, args=(port, random.Random(args.seed * 100 + i), until, 0.35, 0.4, stats, lock)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for (kind, status), n in sorted(stats.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            print(f"  {kind:7} -> {status}: {n}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    with open(out, encoding="utf-8") as f:
        lines = f.read().count("\n")
    print(f"wrote {os.path.relpath(out, DEMO)}: {lines} lines, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
