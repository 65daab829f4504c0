"""Reads a memray capture with the installed memray and prints what Incident Workbench shows, as one JSON object.

    python iwb_memray.py CAPTURE [--time] [--top-stacks N]

Run with the Python that has memray installed (the memray that wrote the capture, or one that writes the same
format): the capture format is memray's own and versioned, so it is only ever read through memray's reader
(memray.FileReader and the statistics `memray stats` computes), never parsed here.

Output (stdout, UTF-8 JSON): memray and Python versions, the capture's metadata and totals, a frame table and
a stack table (root first, shared by every view), and per view (peak: what was live at the high-water mark;
leaks: allocated and never freed while tracked; temporary: freed right after being allocated) the bytes and
allocation count of each stack. With --time also the memory over time (RSS and heap per snapshot) and the
allocation lifetimes memray keeps between snapshots, from which the page selects a time range and ranks
leak suspects.

On failure: {"error": {"kind": ..., "message": ...}} on stdout and exit status 3 (memray cannot be imported)
or 4 (the capture cannot be read). Anything memray prints on stderr while reading is left there for the caller.
"""

import json
import os
import sys

FORMAT = 1


def fail(kind, message, status):
    sys.stdout.write(json.dumps({"format": FORMAT, "error": {"kind": kind, "message": message}}))
    sys.stdout.flush()
    sys.exit(status)


try:
    import memray
except Exception as e:  # noqa: BLE001 - ImportError, or a broken install raising anything
    fail("no-memray", f"memray cannot be imported by {sys.executable}: {e}", 3)

try:
    from memray._memray import compute_statistics
except Exception:  # noqa: BLE001 - a memray without it: totals come from `memray stats --json` instead
    compute_statistics = None


def version_of_memray():
    try:
        from importlib.metadata import version

        return version("memray")
    except Exception:  # noqa: BLE001
        return getattr(memray, "__version__", "unknown")


class Tables:
    """Frames and stacks interned across the views, so every view points into the same tables."""

    def __init__(self):
        self.frames = []
        self.frame_ids = {}
        self.stack_parent = []
        self.stack_frame = []
        self.stack_ids = {}

    def frame(self, f):
        key = (str(f[0]), str(f[1]), int(f[2] or 0))
        i = self.frame_ids.get(key)
        if i is None:
            i = self.frame_ids[key] = len(self.frames)
            self.frames.append(list(key))
        return i

    def stack(self, trace):
        """`trace` is leaf first (memray's order); the stack table is root first. -1: no Python frame."""
        node = -1
        for f in reversed(trace):
            fid = self.frame(f)
            key = (node, fid)
            s = self.stack_ids.get(key)
            if s is None:
                s = self.stack_ids[key] = len(self.stack_parent)
                self.stack_parent.append(node)
                self.stack_frame.append(fid)
            node = s
        return node


def records_of(kind):
    """One view's records as (leaf-first trace, bytes, count) tuples; runs in a worker when there are several."""
    if kind == "peak":
        it = READER.get_high_watermark_allocation_records(merge_threads=True)
    elif kind == "leaks":
        it = READER.get_leaked_allocation_records(merge_threads=True)
    else:
        it = READER.get_temporary_allocation_records(merge_threads=True, threshold=1)
    return [(tuple(r.stack_trace()), int(r.size), int(r.n_allocations)) for r in it]


def lifetimes():
    """Allocations alive across snapshot boundaries: (trace, allocated before snapshot i, freed before j or -1, count, bytes)."""
    out = []
    for r in READER.get_temporal_allocation_records(merge_threads=True):
        trace = tuple(r.stack_trace())
        for iv in r.intervals:
            dealloc = -1 if iv.deallocated_before_snapshot is None else int(iv.deallocated_before_snapshot)
            out.append((trace, int(iv.allocated_before_snapshot), dealloc, int(iv.n_allocations), int(iv.n_bytes)))
    return out


def leaks_of(lifetime_rows):
    """The leaks view from the lifetimes: what was never freed, per stack (as get_leaked_allocation_records)."""
    by_trace = {}
    for trace, _, dealloc, n, b in lifetime_rows:
        if dealloc == -1:
            acc = by_trace.setdefault(trace, [0, 0])
            acc[0] += b
            acc[1] += n
    return [(trace, b, n) for trace, (b, n) in by_trace.items()]


def is_aggregated(reader):
    return getattr(reader.metadata.file_format, "name", "") == "AGGREGATED_ALLOCATIONS"


def totals():
    """Allocations and bytes allocated over the whole capture, as `memray stats` counts them."""
    if compute_statistics is not None:
        s = compute_statistics(PATH, num_largest=1)
        return (int(s.total_num_allocations), int(s.total_memory_allocated))
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "stats.json")
        subprocess.run([sys.executable, "-m", "memray", "stats", "--json", "-f", "-o", out, PATH], check=True, stdout=subprocess.DEVNULL)
        with open(out, encoding="utf-8") as f:
            s = json.load(f)
    return (int(s["total_num_allocations"]), int(s["total_bytes_allocated"]))


def run_task(name):
    if name == "totals":
        return totals()
    if name == "lifetimes":
        return lifetimes()
    return records_of(name)


def forked(name):
    """Runs one pass in a forked child (it inherits the reader, if any); returns how to collect its result."""
    import pickle

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one pass, its result pickled into the pipe, then out without cleanup
        os.close(r)
        try:
            data = pickle.dumps(("ok", run_task(name)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as e:  # noqa: BLE001 - reported by the parent
            data = pickle.dumps(("error", "%s: %s" % (type(e).__name__, e)))
        with os.fdopen(w, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(w)

    def collect(kill=False):
        if kill:
            os.kill(pid, 9)
        with os.fdopen(r, "rb") as inp:
            data = inp.read()  # before waiting: a full pipe would block the child
        os.waitpid(pid, 0)
        if not data:
            raise RuntimeError("the %s pass ended without an answer" % name)
        status, value = pickle.loads(data)
        if status != "ok":
            raise RuntimeError(value)
        return value

    return collect


def open_and_run(path, names):
    """
    Opens the capture (memray's reader makes a first pass for the high-water mark and the memory snapshots)
    and runs the passes `names`. Every pass reads the whole capture, so on POSIX they run in forked children
    on all cores: the totals (which need no reader) while the reader opens, the others as soon as it is open
    (inheriting it); the peak, which stops at the high-water mark, in this process.
    """
    global READER
    parallel = hasattr(os, "fork") and (os.cpu_count() or 1) > 1
    pending = {}
    if parallel and "totals" in names:
        pending["totals"] = forked("totals")
    try:
        READER = memray.FileReader(path, max_memory_records=1024)
    except BaseException:
        for collect in pending.values():
            try:
                collect(kill=True)
            except Exception:  # noqa: BLE001 - the reader's own error is the one to report
                pass
        raise
    if is_aggregated(READER):
        # Totals per location only: no order of allocations, so no temporary view, lifetimes or totals.
        names = ["peak", "leaks"]
        for collect in pending.values():
            try:
                collect()
            except RuntimeError:
                pass  # compute_statistics refuses aggregated captures, as expected
        pending = {}
    if parallel:
        for name in names:
            if name not in pending and name != "peak":
                pending[name] = forked(name)
    results = {}
    for name in names:
        if name not in pending:
            results[name] = run_task(name)
    for name, collect in pending.items():
        results[name] = collect()
    return results


def main():
    global READER, PATH
    args = sys.argv[1:]
    want_time = "--time" in args
    paths = [a for a in args if not a.startswith("--")]
    if len(paths) != 1:
        fail("usage", "usage: iwb_memray.py CAPTURE [--time]", 2)
    PATH = paths[0]
    # With memory over time, the lifetimes pass also gives the leaks (allocations never freed).
    names = ["peak", "temporary", "totals", "lifetimes" if want_time else "leaks"]
    try:
        results = open_and_run(PATH, names)
    except OSError as e:
        text = str(e)
        kind = "incompatible" if "incompatible with this version" in text else "not-memray" if "does not look like" in text else "unreadable"
        fail(kind, text, 4)
    except Exception as e:  # noqa: BLE001 - memray raises whatever its reader meets
        fail("unreadable", f"memray could not read the capture: {type(e).__name__}: {e}", 4)
    md = READER.metadata
    aggregated = is_aggregated(READER)
    warnings = []
    if aggregated:
        warnings.append("This capture was recorded with --aggregate: memray kept totals per location only, so there is no temporary view, no memory over time and no allocation count of the whole run.")
    if "lifetimes" in results and "leaks" not in results:
        results["leaks"] = leaks_of(results["lifetimes"])

    tables = Tables()

    def view(name):
        recs = results.get(name)
        if recs is None:
            return None
        stacks, sizes, counts = [], [], []
        for trace, size, count in recs:
            stacks.append(tables.stack(trace))
            sizes.append(size)
            counts.append(count)
        return {"stack": stacks, "bytes": sizes, "count": counts}

    out = {
        "format": FORMAT,
        "tool": "memray",
        "memray": version_of_memray(),
        "python": ".".join(map(str, sys.version_info[:3])),
        "metadata": {
            "startTime": md.start_time.timestamp() * 1000,
            "endTime": md.end_time.timestamp() * 1000,
            "pid": md.pid,
            "command": md.command_line,
            "peakMemory": md.peak_memory,
            "nativeTraces": bool(md.has_native_traces),
            "tracePythonAllocators": bool(getattr(md, "trace_python_allocators", False)),
            "pythonAllocator": str(md.python_allocator),
            "aggregated": aggregated,
        },
        "totals": None,
        "peak": view("peak"),
        "leaks": view("leaks"),
        "temporary": view("temporary"),
        "warnings": warnings,
    }
    if "totals" in results:
        n, b = results["totals"]
        out["totals"] = {"allocations": n, "bytes": b}
    if want_time:
        snaps = list(READER.get_memory_snapshots())
        out["snapshots"] = {"time": [s.time for s in snaps], "rss": [s.rss for s in snaps], "heap": [s.heap for s in snaps]}
        if "lifetimes" in results:
            lt = {"stack": [], "allocatedBefore": [], "deallocatedBefore": [], "count": [], "bytes": []}
            for trace, a, d, n, b in results["lifetimes"]:
                lt["stack"].append(tables.stack(trace))
                lt["allocatedBefore"].append(a)
                lt["deallocatedBefore"].append(d)
                lt["count"].append(n)
                lt["bytes"].append(b)
            out["lifetimes"] = lt
    out["frames"] = tables.frames
    out["stackParent"] = tables.stack_parent
    out["stackFrame"] = tables.stack_frame
    sys.stdout.write(json.dumps(out, separators=(",", ":")))
    sys.stdout.flush()


READER = None
PATH = None

if __name__ == "__main__":
    main()
