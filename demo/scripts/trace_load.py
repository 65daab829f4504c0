"""Runs the demo service with OpenTelemetry tracing while a small load runs against it, and writes the
traces of both sides (the load generator's CLIENT spans and the service's spans) as OTLP/JSON Lines,
or sends them to a tracing backend (Jaeger) over OTLP/HTTP, or both.

    python3 scripts/trace_load.py --out traces.otlp.jsonl [--requests 12] [--bad 3]
    python3 scripts/trace_load.py --otlp http://127.0.0.1:4318 [--requests 40]

Half of the good requests come from the mobile app (`"client": "ios"`), which pins 150 items from its
cache: more items to load one query each (N+1) and to compare pairwise (quadratic) — the slow ones.

Run from the demo folder with the OpenTelemetry SDK installed (requirements-dev.txt). The service runs
under scripts/deployed.py with the demo folder mapped to /app, so code locations in the spans read
/app/service/model.py as they would in a container. Trace context goes over HTTP in `traceparent`.
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.dirname(HERE)
sys.path.insert(0, DEMO)

from opentelemetry import propagate, trace  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402

from service.telemetry import OtlpJsonLinesExporter, otlp_exporter  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, deadline=30):
    end = time.time() + deadline
    while time.time() < end:
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the demo service did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the traces of both sides to this OTLP/JSON Lines file")
    parser.add_argument("--otlp", metavar="URL", help="send the spans to this OTLP/HTTP endpoint (e.g. Jaeger's http://127.0.0.1:4318)")
    parser.add_argument("--requests", type=int, default=12)
    parser.add_argument("--bad", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--logs", metavar="FILE", help="also write the service's JSON-lines log to FILE (service --log-json)")
    args = parser.parse_args()
    if not args.out and not args.otlp:
        parser.error("give --out FILE, --otlp URL or both")
    random.seed(args.seed)
    work = tempfile.mkdtemp(prefix="iwb-traces-")
    service_file = os.path.join(work, "service.otlp.jsonl")
    client_file = os.path.join(work, "client.otlp.jsonl")
    port = free_port()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if args.out:
        env["OTEL_TRACES_FILE"] = service_file
    if args.otlp:
        env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = args.otlp.rstrip("/") + "/v1/traces"
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "deployed.py"), "--map", f"{DEMO}=/app", "-m", "service.server", "--port", str(port)]
        + (["--log-json", os.path.abspath(args.logs)] if args.logs else []),
        cwd=DEMO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    provider = TracerProvider(resource=Resource.create({"service.name": "load-generator"}))
    if args.out:
        provider.add_span_processor(SimpleSpanProcessor(OtlpJsonLinesExporter(client_file)))
    if args.otlp:
        provider.add_span_processor(SimpleSpanProcessor(otlp_exporter(args.otlp.rstrip("/") + "/v1/traces")))
    tracer = provider.get_tracer("demo.load")
    try:
        wait_ready(url)
        plan = ["ok"] * args.requests + ["bad"] * args.bad
        random.shuffle(plan)
        for i, kind in enumerate(plan):
            n = 16 if kind == "ok" else random.choice([3, 15, 17])
            payload = {"user_id": random.randint(1, 500), "features": [random.random() for _ in range(n)]}
            payload["client"] = "web"
            if kind == "ok" and i % 2 == 0:
                # Items pinned by the client (its cache) are scored too: more candidates, quadratic scoring.
                payload["pinned"] = random.sample(range(2000), 150)
                payload["client"] = "ios"
            body = json.dumps(payload).encode()
            with tracer.start_as_current_span("POST /recommend", kind=trace.SpanKind.CLIENT, attributes={"http.request.method": "POST", "url.full": url + "/recommend", "server.address": "127.0.0.1", "server.port": port}) as span:
                headers = {"Content-Type": "application/json"}
                propagate.inject(headers)
                request = urllib.request.Request(url + "/recommend", data=body, headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(request, timeout=60) as r:
                        span.set_attribute("http.response.status_code", r.status)
                except urllib.error.HTTPError as e:
                    span.set_attribute("http.response.status_code", e.code)
                    span.set_status(trace.Status(trace.StatusCode.ERROR, f"HTTP {e.code}"))
            time.sleep(0.05)
    finally:
        provider.shutdown()
        # The service exports in batches every 0.5 s; SIGTERM would lose the last batch, so wait for it.
        time.sleep(2)
        server.terminate()
        server.wait(timeout=10)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            for path in (client_file, service_file):
                if os.path.exists(path):
                    with open(path, encoding="utf-8") as f:
                        out.write(f.read())
        print(f"wrote {args.out}")
    if args.otlp:
        print(f"sent {len(plan)} requests' traces to {args.otlp}")


if __name__ == "__main__":
    main()
