"""HTTP front end: `python -m service.server --port 8000` from the demo folder."""

import argparse
import json
import logging
import os
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import catalogue, inventory, jsonlog, telemetry
from .features import extract_features
from .model import rank

logger = logging.getLogger("service")
DEADLINE_S = 1.0


@telemetry.traced
def recommend(payload):
    started = time.monotonic()
    features = extract_features(payload)
    user_id = int(payload.get("user_id", 0))
    pinned = list(payload.get("pinned", []))
    telemetry.set_attributes(**{"recommend.pinned": bool(pinned), "app.client": str(payload.get("client", "web"))[:40]})
    # Items the client pinned (e.g. from its cache) come first; an id that no longer exists breaks load_items.
    items = catalogue.load_items(pinned + catalogue.candidate_ids(user_id))
    ranked = rank(features, items)
    elapsed = time.monotonic() - started
    if elapsed > DEADLINE_S:
        raise TimeoutError(f"recommendation took {elapsed:.2f} s, over the {DEADLINE_S} s deadline")
    return {"user_id": user_id, "items": ranked}


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/inventory/sync":
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            self._send(200, inventory.sync(str(payload.get("sku", "sku-1")), int(payload.get("quantity", 1))))
            return
        if self.path != "/recommend":
            self._send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        request_id = self.headers.get("X-Request-ID") or uuid.uuid4().hex[:16]
        with telemetry.request_span("POST", self.path, self.headers, Handler.do_POST) as span, jsonlog.request_context(request_id=request_id, endpoint=self.path):
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
                jsonlog.set_context(user_id=payload.get("user_id") if isinstance(payload, dict) else None)
                self._send(200, recommend(payload))
                span.status(200)
            except (ValueError, TypeError) as e:
                logger.exception("Prediction failed: %s", e)
                self._send(400, {"error": str(e)})
                span.status(400, e)
            except Exception as e:  # noqa: BLE001 - anything else is a 500, logged with its traceback
                logger.exception("Unhandled error in %s", self.path)
                self._send(500, {"error": "internal error"})
                span.status(500, e)

    def log_message(self, format, *args):
        logger.info(format, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_SERVICE_PORT", "8000")))
    parser.add_argument("--log-json", metavar="FILE", help="write logs as JSON lines to FILE ('-': stderr)")
    args = parser.parse_args()
    if args.log_json:
        jsonlog.configure(args.log_json)
    else:
        logging.basicConfig(level=logging.INFO)
    telemetry.setup()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"demo service on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
