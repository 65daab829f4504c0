"""JSON-lines logging for the demo service, in the spirit of the seed's StructuredLogger: one JSON object per
line with time, level, logger and message, the request's context (request_id, user_id, endpoint) and, for
exceptions, the type, message and the formatted traceback.

    configure("service.jsonl")          # or "-" for stderr
    with request_context(request_id="r-1", endpoint="/recommend"):
        set_context(user_id=3)
        logger.exception("Prediction failed")
"""

import contextlib
import contextvars
import datetime
import json
import logging
import os
import sys
import traceback

_context = contextvars.ContextVar("log_context", default={})

SERVICE = "recommend"
# The release this process runs (the deploy scripts set it); written on every line as "version".
VERSION = os.environ.get("SERVICE_RELEASE", "2026.11.20")


@contextlib.contextmanager
def request_context(**fields):
    token = _context.set({k: v for k, v in fields.items() if v is not None})
    try:
        yield
    finally:
        _context.reset(token)


def set_context(**fields):
    """Adds fields to the current request's context (e.g. user_id once the body is parsed)."""
    _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})


class JSONFormatter(logging.Formatter):
    def format(self, record):
        data = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": SERVICE,
            "version": VERSION,
            **_context.get(),
            # Set by service/telemetry.py when OpenTelemetry tracing is on: joins log lines to spans.
            **{k: getattr(record, k) for k in ("trace_id", "span_id") if getattr(record, k, None)},
        }
        if record.exc_info and record.exc_info[0] is not None:
            data["exception"] = {
                "type": record.exc_info[0].__name__,
                "message": str(record.exc_info[1]),
                "traceback": "".join(traceback.format_exception(*record.exc_info)),
            }
        return json.dumps(data, default=str)


def configure(path, level=logging.INFO):
    """Sends every log record to `path` (appending) as JSON lines; "-" means stderr."""
    handler = logging.StreamHandler(sys.stderr) if path == "-" else logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
