"""HTTP front end: `python -m service.server --port 8000` from the demo folder."""

import argparse
import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import catalogue, telemetry
from .features import extract_features
from .model import rank

logger = logging.getLogger("service")


@telemetry.traced
def recommend(payload):
    features = extract_features(payload)
    user_id = int(payload.get("user_id", 0))
    items = catalogue.load_items(catalogue.candidate_ids(user_id))
    return {"user_id": user_id, "items": rank(features, items)}


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
        if self.path != "/recommend":
            self._send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        with telemetry.request_span("POST", self.path, self.headers, Handler.do_POST) as span:
            try:
                payload = json.loads(self.rfile.read(length) or b"{}")
                self._send(200, recommend(payload))
                span.status(200)
            except (ValueError, TypeError) as e:
                logger.error(f"Prediction failed: {e}")
                self._send(400, {"error": str(e)})
                span.status(400, e)

    def log_message(self, format, *args):
        logger.info(format, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    telemetry.setup()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(f"demo service on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
