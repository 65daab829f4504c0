"""Optional OpenTelemetry tracing for the demo service.

With the OpenTelemetry SDK installed (`pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-common`)
and `OTEL_TRACES_FILE` set, every request is traced and the spans are written to that file as OTLP/JSON,
one export request per line (the form of the OpenTelemetry file exporter): hex ids, integer enums, 64-bit
integers as strings. The encoding is the SDK's own (`encode_spans`), turned into JSON by protobuf's JSON
mapping. SQLite queries are traced by opentelemetry-instrumentation-sqlite3 when it is installed.

With `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (or `OTEL_EXPORTER_OTLP_ENDPOINT`) set as well or instead, the
spans also go to that collector or tracing backend (Jaeger) over OTLP/HTTP by the SDK's own exporter
(opentelemetry-exporter-otlp-proto-http).

Without the SDK (or without the variable) every helper here does nothing and the service runs as before.
"""

import base64
import functools
import json
import logging
import os
import threading

try:
    from google.protobuf.json_format import MessageToDict
    from opentelemetry import propagate, trace
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
    from opentelemetry.trace import Status, StatusCode
except ImportError:  # the SDK is optional
    trace = None

_tracer = None


def _to_hex(value):
    return base64.b64decode(value).hex() if value else value


def _hex_ids(doc):
    """protobuf's JSON mapping writes bytes as base64; OTLP/JSON wants ids in hex."""
    for rs in doc.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = _to_hex(span[key])
                for link in span.get("links", []):
                    for key in ("traceId", "spanId"):
                        if key in link:
                            link[key] = _to_hex(link[key])
    return doc


if trace is not None:

    class OtlpJsonLinesExporter(SpanExporter):
        """Appends each batch to a file as one OTLP/JSON ExportTraceServiceRequest per line."""

        def __init__(self, path, hex_ids=True, integer_enums=True):
            self._file = open(path, "a", encoding="utf-8")
            self._lock = threading.Lock()
            self._hex_ids = hex_ids
            self._integer_enums = integer_enums

        def export(self, spans):
            doc = MessageToDict(encode_spans(spans), use_integers_for_enums=self._integer_enums)
            if self._hex_ids:
                _hex_ids(doc)
            line = json.dumps(doc, separators=(",", ":"))
            with self._lock:
                self._file.write(line + "\n")
                self._file.flush()
            return SpanExportResult.SUCCESS

        def shutdown(self):
            with self._lock:
                self._file.close()

        def force_flush(self, timeout_millis=30000):
            return True


class _TraceIdsInLogs(logging.Filter):
    """Puts the current trace and span ids on every log record (as `trace_id` / `span_id`)."""

    def filter(self, record):
        span = trace.get_current_span() if trace is not None else None
        ctx = span.get_span_context() if span is not None else None
        if ctx is not None and ctx.is_valid:
            record.trace_id = format(ctx.trace_id, "032x")
            record.span_id = format(ctx.span_id, "016x")
        return True


def otlp_endpoint():
    """The OTLP/HTTP traces endpoint from the standard variables, or None."""
    url = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if url:
        return url
    base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    return base.rstrip("/") + "/v1/traces" if base else None


def otlp_exporter(endpoint):
    """The SDK's OTLP/HTTP span exporter (protobuf), or None when the package is missing."""
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        logging.getLogger(__name__).warning("OTLP endpoint %s set but opentelemetry-exporter-otlp-proto-http is not installed", endpoint)
        return None
    return OTLPSpanExporter(endpoint=endpoint)


def setup(service_name="recommend", path=None):
    """Starts tracing to `path` (default: $OTEL_TRACES_FILE) and/or the OTLP endpoint of the environment.
    Returns the provider, or None when off."""
    global _tracer
    path = path or os.environ.get("OTEL_TRACES_FILE")
    endpoint = otlp_endpoint()
    if trace is None or not (path or endpoint):
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": service_name, "service.version": os.environ.get("SERVICE_VERSION", "1.4.0")}))
    if path:
        provider.add_span_processor(BatchSpanProcessor(OtlpJsonLinesExporter(path), schedule_delay_millis=500))
    exporter = otlp_exporter(endpoint) if endpoint else None
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=500))
    trace.set_tracer_provider(provider)
    _tracer = trace.get_tracer("demo.service")
    try:
        from opentelemetry.instrumentation.sqlite3 import SQLite3Instrumentor

        SQLite3Instrumentor().instrument(tracer_provider=provider)
    except ImportError:
        pass
    for handler in logging.getLogger().handlers:
        handler.addFilter(_TraceIdsInLogs())
    logging.getLogger().addFilter(_TraceIdsInLogs())
    return provider


def _def_line(fn):
    """The `def` line: co_firstlineno is the first decorator's line."""
    try:
        import inspect

        lines, start = inspect.getsourcelines(fn)
        for i, line in enumerate(lines):
            if line.lstrip().startswith(("def ", "async def ")):
                return start + i
    except (OSError, TypeError):
        pass
    return fn.__code__.co_firstlineno


def _code_attributes(fn):
    return {
        "code.function.name": f"{fn.__module__}.{fn.__qualname__}",
        "code.file.path": fn.__code__.co_filename,
        "code.line.number": _def_line(fn),
    }


def traced(fn):
    """A span around each call, named after the function, carrying its source location."""
    attributes = _code_attributes(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _tracer is None:
            return fn(*args, **kwargs)
        with _tracer.start_as_current_span(fn.__qualname__, attributes=attributes):
            return fn(*args, **kwargs)

    return wrapper


def set_attributes(**attributes):
    """Attributes on the current span (what the request asked for: what slow requests may share)."""
    if trace is None:
        return
    span = trace.get_current_span()
    if span is not None and span.is_recording():
        for key, value in attributes.items():
            span.set_attribute(key, value)


class request_span:
    """The SERVER span of one HTTP request, continuing the caller's trace from its `traceparent` header."""

    def __init__(self, method, path, headers, handler_fn):
        self.method, self.path, self.headers, self.handler_fn = method, path, headers, handler_fn
        self._cm = None
        self.span = None

    def __enter__(self):
        if _tracer is None:
            return self
        attributes = {"http.request.method": self.method, "url.path": self.path, "http.route": self.path, **_code_attributes(self.handler_fn)}
        self._cm = _tracer.start_as_current_span(
            f"{self.method} {self.path}", context=propagate.extract({k.lower(): v for k, v in self.headers.items()}), kind=trace.SpanKind.SERVER, attributes=attributes
        )
        self.span = self._cm.__enter__()
        return self

    def status(self, code, error=None):
        if self.span is None:
            return
        self.span.set_attribute("http.response.status_code", code)
        if error is not None:
            self.span.record_exception(error)
            self.span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))

    def __exit__(self, *exc):
        if self._cm is not None:
            return self._cm.__exit__(*exc)
        return False
