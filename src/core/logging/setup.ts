/**
 * "Insert Structured Logging Setup": adds to a Python module a JSON log formatter and a context variable for
 * the request id (every log line of a request carries it without passing it around), plus
 * `configure_logging()`; a `logging.basicConfig(level=..., stream=..., filename=...)` call is replaced by
 * `configure_logging(...)` with the same arguments, else the call is added at the top of the
 * `if __name__ == "__main__":` block. Pure text edits, like the quick fixes.
 */
import { moduleLoggerInsertionPoint } from './edits';
import type { TextEdit } from './edits';
import type { Node, PythonParser } from './parser';
import { dotted, indentationAt, isMainGuard, lineStartOf, named } from './syntax';

export interface SetupResult {
  edits: TextEdit[];
  /** What happened, for the user. */
  message: string;
  /** basicConfig calls replaced by configure_logging(). */
  replacedBasicConfig: number;
  /** Where configure_logging() is called now (0: the user still has to call it). */
  calls: number;
}

const NEEDED_IMPORTS = ['contextvars', 'datetime', 'json', 'logging', 'sys'];
const PASSED_THROUGH = new Set(['level', 'stream', 'filename']);
const DROPPED = new Set(['format', 'datefmt', 'style', 'force', 'encoding']);

function block(imports: string[]): string {
  return `${imports.map((m) => `import ${m}\n`).join('')}
# --- Structured logging (inserted by Incident Workbench) ------------------------------------------------
# One JSON object per line: time, level, logger, message, the request id of the current request, every
# field passed as extra={...}, and the traceback when an exception is logged. Call configure_logging() once
# at start-up. At the start of each request:  token = request_id_var.set(request_id)  and at its end
# request_id_var.reset(token); every log call in between (in any module) then carries the id.
request_id_var = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from extra={...}.
_STANDARD_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


def configure_logging(level=logging.INFO, stream=None, filename=None):
    """Sends every logger's records, as JSON lines, to \`filename\` or \`stream\` (default: stderr)."""
    handler = logging.FileHandler(filename, encoding="utf-8") if filename else logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
# --- end of structured logging ----------------------------------------------------------------------------
`;
}

export function structuredLoggingSetup(parser: PythonParser, text: string): SetupResult {
  return parser.withTree(text, (tree) => setupEdits(tree.rootNode, text));
}

function setupEdits(root: Node, text: string): SetupResult {
  const defined = root.descendantsOfType(['function_definition', 'class_definition']).some((d) => d && /^(configure_logging|JsonFormatter)$/.test(d.childForFieldName('name')?.text ?? ''));
  if (defined) return { edits: [], message: 'This module already defines configure_logging/JsonFormatter; nothing was inserted.', replacedBasicConfig: 0, calls: 0 };
  const imported = new Set<string>();
  for (const stmt of named(root)) {
    if (stmt.type !== 'import_statement') continue;
    for (const n of named(stmt)) if (n.type === 'dotted_name') imported.add(n.text);
  }
  const edits: TextEdit[] = [];
  const at = moduleLoggerInsertionPoint(root, text);
  const missing = NEEDED_IMPORTS.filter((m) => !imported.has(m));
  edits.push({ start: at.offset, end: at.offset, text: at.afterImports ? `\n${block(missing).replace(/\n$/, '')}` : `${block(missing)}\n\n` });
  let replaced = 0;
  for (const call of root.descendantsOfType('call')) {
    if (!call || !/(^|\.)basicConfig$/.test(dotted(call.childForFieldName('function')) ?? '')) continue;
    const args = named(call.childForFieldName('arguments'));
    if (args.some((a) => a.type !== 'keyword_argument')) continue;
    const names = args.map((a) => a.childForFieldName('name')?.text ?? '');
    if (!names.every((n) => PASSED_THROUGH.has(n) || DROPPED.has(n))) continue;
    const kept = args.filter((a) => PASSED_THROUGH.has(a.childForFieldName('name')?.text ?? '')).map((a) => a.text);
    edits.push({ start: call.startIndex, end: call.endIndex, text: `configure_logging(${kept.join(', ')})` });
    replaced++;
  }
  let calls = replaced;
  if (replaced === 0) {
    const guard = named(root).find(isMainGuard);
    const body = guard?.childForFieldName('consequence');
    const first = named(body)[0];
    if (first) {
      const indent = indentationAt(text, first.startIndex);
      const start = lineStartOf(text, first.startIndex);
      edits.push({ start, end: start, text: `${indent}configure_logging()\n` });
      calls = 1;
    }
  }
  const message =
    replaced > 0
      ? `Inserted a JSON formatter with a request-id context variable; ${replaced} logging.basicConfig call${replaced === 1 ? ' now calls' : 's now call'} configure_logging().`
      : calls > 0
        ? 'Inserted a JSON formatter with a request-id context variable; configure_logging() is called at the start of the __main__ block.'
        : 'Inserted a JSON formatter with a request-id context variable. Call configure_logging() once where the service starts.';
  return { edits, message, replacedBasicConfig: replaced, calls };
}
