"""Records the incident's CPU profile: py-spy sampling the demo's ranking as deployed (paths under /app).

    python3 scripts/profile_rank.py --out .incidents/INC-2026-001/evidence/profiles/rank-hot-path.speedscope.json

From the demo folder; needs py-spy (requirements-dev.txt). Starts `scripts/busy_loop.py` (in-process `rank`
over the production candidate count, in a loop) under `scripts/deployed.py` with this folder mapped to /app,
waits until its imports are done, then samples it for --seconds with py-spy (`--full-filenames`, speedscope
format), so the profile shows the steady state: `rank` → `pairwise_diversity` → `dot`.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rate", type=int, default=100)
    args = parser.parse_args()
    # deployed.py itself is compiled under /app too: py-spy records the runner's frames with full paths, and
    # the profile must not carry a path of the machine that made it.
    runner = "import sys; sys.argv[0] = '/app/scripts/deployed.py'; exec(compile(open('scripts/deployed.py').read(), sys.argv[0], 'exec'), {'__name__': '__main__'})"
    busy = subprocess.Popen(
        [sys.executable, "-c", runner, "--map", ".=/app", "-m", "scripts.busy_loop", "--seconds", str(args.seconds + 10)],
        cwd=DEMO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        busy.stdout.readline()  # "busy for … s": imports are done, the loop is running
        time.sleep(2)
        subprocess.run(
            ["py-spy", "record", "--pid", str(busy.pid), "--duration", str(args.seconds), "--rate", str(args.rate), "--format", "speedscope", "--full-filenames", "--output", args.out],
            check=True,
        )
    finally:
        busy.kill()
        busy.wait()


if __name__ == "__main__":
    main()
