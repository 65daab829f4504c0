"""Keeps the recommendation service busy so there is something to profile.

    python3 scripts/busy_loop.py [--seconds 60] [--url http://127.0.0.1:8000] [--clients 2] [--vary]

From the demo folder; standard library only. With --url it sends /recommend requests to a running
service (start it with `python3 -m service.server --port 8000`) from --clients threads, so profiling
the *server's* PID shows the incident's hot path: `rank` → `pairwise_diversity` → `dot`, quadratic in the
200 candidates. Without --url it calls `service.model.rank` itself in a loop, so this script can be
launched under py-spy directly ("Launch a script and profile it…"). With --vary each request's features
differ a little, as real users' do (the per-user cache of service/personalisation.py then grows: the memory
leak of the README's "Memory" steps).
"""

import argparse
import json
import os
import random
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def payload(user_id, vary=False):
    return {"user_id": user_id, "features": [((user_id * 3 + k) % 11) + 1 + (round(random.random(), 3) if vary else 0) for k in range(16)]}


def drive_server(url, end, counter, vary):
    user = 0
    while time.monotonic() < end:
        user = (user + 1) % 50
        body = json.dumps(payload(user, vary)).encode()
        request = urllib.request.Request(f"{url}/recommend", data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            counter[0] += 1
        except OSError as e:
            print(f"request failed: {e}", file=sys.stderr, flush=True)
            time.sleep(1)


def run_in_process(end, counter, vary):
    from service import catalogue
    from service.features import extract_features
    from service.model import rank

    user = 0
    while time.monotonic() < end:
        user = (user + 1) % 50
        items = catalogue.load_items(catalogue.candidate_ids(user))
        rank(extract_features(payload(user, vary)), items)
        counter[0] += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", help="a running service, e.g. http://127.0.0.1:8000; default: rank in this process")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--vary", action="store_true", help="vary each request's features a little, as real users do")
    args = parser.parse_args()
    end = time.monotonic() + args.seconds
    counter = [0]
    print(f"busy for {args.seconds:g} s ({'requests to ' + args.url if args.url else 'in-process rank'}), pid {os.getpid()}", flush=True)
    if args.url:
        threads = [threading.Thread(target=drive_server, args=(args.url.rstrip("/"), end, counter, args.vary), daemon=True) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        run_in_process(end, counter, args.vary)
    print(f"{counter[0]} recommendations", flush=True)


if __name__ == "__main__":
    main()
