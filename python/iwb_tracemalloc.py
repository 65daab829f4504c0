"""Reads a tracemalloc snapshot (tracemalloc.Snapshot.dump) and prints its allocations as one JSON object.

    python iwb_tracemalloc.py SNAPSHOT

A snapshot is a pickle that only Python can read, and only a Python whose tracemalloc has the same layout
(Python 3.9 added a field to every trace): run this with the interpreter that wrote the snapshot. Standard
library only, and Python 3.6 syntax, so any interpreter a user points at can run it.

Output: {"format": 1, "tool": "tracemalloc", "python", "tracebackLimit", "frames": [[function, file, line]],
"stackParent", "stackFrame", "live": {"stack", "bytes", "count"}, "truncated"}: one entry per distinct
traceback (root first), the bytes and blocks still allocated when the snapshot was taken. tracemalloc
records file and line only; the function is looked up in the source file when it can be read.
On failure: {"error": {"kind", "message"}} and exit status 4.
"""

import ast
import json
import sys
import tracemalloc

FORMAT = 1


def fail(kind, message):
    sys.stdout.write(json.dumps({"format": FORMAT, "error": {"kind": kind, "message": message}}))
    sys.stdout.flush()
    sys.exit(4)


_functions = {}


def function_at(filename, lineno):
    """The innermost def or class around `lineno` in `filename`, or None when the source cannot be read."""
    spans = _functions.get(filename)
    if spans is None:
        spans = []
        try:
            with open(filename, "rb") as f:
                tree = ast.parse(f.read(), filename)
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    end = getattr(node, "end_lineno", None) or max(getattr(n, "lineno", node.lineno) for n in ast.walk(node))
                    spans.append((node.lineno, end, node.name))
        except Exception:  # noqa: BLE001 - a missing or unparsable file: no names
            pass
        _functions[filename] = spans
    best = None
    for start, end, name in spans:
        if start <= lineno <= end and (best is None or start >= best[0]):
            best = (start, name)
    return best[1] if best else "<module>" if spans else None


def main():
    if len(sys.argv) != 2:
        fail("usage", "usage: iwb_tracemalloc.py SNAPSHOT")
    path = sys.argv[1]
    here = "Python %d.%d.%d" % sys.version_info[:3]
    try:
        snapshot = tracemalloc.Snapshot.load(path)
    except (OSError, EOFError) as e:
        fail("unreadable", "cannot be read: %s" % e)
    except Exception as e:  # noqa: BLE001 - pickle raises many kinds for data from elsewhere
        fail("other-python", "%s cannot load it (%s: %s); it was probably written by another Python version: read it with the Python that wrote it" % (here, type(e).__name__, e))
    if not isinstance(snapshot, tracemalloc.Snapshot):
        fail("not-snapshot", "it is a pickle of %s, not of a tracemalloc.Snapshot" % type(snapshot).__name__)
    try:
        stats = snapshot.statistics("traceback")
    except Exception as e:  # noqa: BLE001
        fail("other-python", "%s cannot read its traces (%s: %s); it was probably written by another Python version: read it with the Python that wrote it" % (here, type(e).__name__, e))
    frames, frame_ids = [], {}
    parents, frame_of, stack_ids = [], [], {}
    live = {"stack": [], "bytes": [], "count": []}
    truncated = 0
    for stat in stats:
        node = -1
        # Python 3.7+ iterates a Traceback from the oldest frame: root first.
        tb = list(stat.traceback)
        if sys.version_info < (3, 7):
            tb.reverse()
        for fr in tb:
            key = (fr.filename, fr.lineno)
            fid = frame_ids.get(key)
            if fid is None:
                name = function_at(fr.filename, fr.lineno) or "%s:%d" % (fr.filename.replace("\\", "/").rsplit("/", 1)[-1], fr.lineno)
                fid = frame_ids[key] = len(frames)
                frames.append([name, fr.filename, fr.lineno])
            skey = (node, fid)
            sid = stack_ids.get(skey)
            if sid is None:
                sid = stack_ids[skey] = len(parents)
                parents.append(node)
                frame_of.append(fid)
            node = sid
        total = getattr(stat.traceback, "total_nframe", None)
        if total is not None and total > len(tb):
            truncated += 1
        live["stack"].append(node)
        live["bytes"].append(stat.size)
        live["count"].append(stat.count)
    out = {
        "format": FORMAT,
        "tool": "tracemalloc",
        "python": "%d.%d.%d" % sys.version_info[:3],
        "tracebackLimit": snapshot.traceback_limit,
        "frames": frames,
        "stackParent": parents,
        "stackFrame": frame_of,
        "live": live,
        "truncated": truncated,
    }
    sys.stdout.write(json.dumps(out, separators=(",", ":")))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
