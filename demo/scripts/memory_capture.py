"""Captures the demo service's memory with memray while it serves traffic: the incident's memory evidence.

    python3 scripts/memory_capture.py [--out FILE] [--seconds 15] [--clients 2]

From the demo folder, with a Python that has memray (requirements-dev.txt) and gdb installed. It starts the
service (`python -m service.server`) on a free port with this interpreter, sends it /recommend requests whose
features vary a little, as real users' do (`scripts/busy_loop.py --vary`), attaches memray to the running
service (`python -m memray attach`, through gdb) once it serves, tracks it for --seconds, detaches, and
stops everything. The per-user cache of service/personalisation.py grows with every distinct request: the
capture's top leak suspect. Default --out: .incidents/INC-2026-001/evidence/memory/recommend-leak.memray.bin.
"""

import argparse
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(".incidents", "INC-2026-001", "evidence", "memory", "recommend-leak.memray.bin"))
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "service.server", "--port", str(port)], cwd=DEMO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    traffic = None
    try:
        if "demo service on" not in server.stdout.readline():
            raise SystemExit("the service did not start")
        url = f"http://127.0.0.1:{port}"
        traffic = subprocess.Popen([sys.executable, os.path.join(HERE, "busy_loop.py"), "--url", url, "--seconds", str(args.seconds + 30), "--clients", str(args.clients), "--vary"], cwd=DEMO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)  # a few requests first: the caches of a warm service, not its start-up
        subprocess.run([sys.executable, "-m", "memray", "attach", "-f", "-o", out, str(server.pid)], check=True)
        time.sleep(args.seconds)
        subprocess.run([sys.executable, "-m", "memray", "detach", str(server.pid)], check=True)
    finally:
        for p in (traffic, server):
            if p and p.poll() is None:
                p.terminate()
                p.wait(timeout=10)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
