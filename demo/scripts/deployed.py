"""Runs a Python module as if it were deployed the way production runs it: the application under /app and
the standard library under /usr/local/lib/python3.X (the layout of the official python container images).

Code objects of modules under each mapped folder get file names under the mapped root, so tracebacks read
`File "/app/service/features.py", line 11, in extract_features` exactly as they do in a container, and the
logs this produces carry no path of the machine that made them. Source lines still print (the loader serves
them to linecache). Nothing else changes: exceptions are raised and formatted by the real interpreter.

    python3 deployed.py --map DIR=/app [--map DIR2=/root2 ...] -m package.module [args...]

The stdlib is mapped to /usr/local/lib/python3.X unless --keep-stdlib is given.
"""

import argparse
import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import sysconfig


class _Loader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname, path, shown):
        super().__init__(fullname, path)
        self.shown = shown

    def get_filename(self, name=None):
        return self.path

    def get_code(self, fullname):
        # Always compile from source: a cached .pyc would get its real path back (_imp._fix_co_filename).
        return compile(self.get_data(self.path), self.shown, "exec", dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, mappings):
        self.mappings = [(os.path.abspath(src), root.rstrip("/")) for src, root in mappings]

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        origin = os.path.abspath(spec.origin)
        for src, root in self.mappings:
            if origin.startswith(src + os.sep):
                shown = root + "/" + os.path.relpath(origin, src).replace(os.sep, "/")
                spec.loader = _Loader(fullname, origin, shown)
                break
        return spec


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--map", action="append", default=[], metavar="DIR=ROOT")
    parser.add_argument("--keep-stdlib", action="store_true")
    parser.add_argument("-m", dest="module", required=True)
    args, rest = parser.parse_known_args()
    mappings = [tuple(m.split("=", 1)) for m in args.map]
    if not args.keep_stdlib:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        mappings.append((sysconfig.get_paths()["stdlib"], f"/usr/local/lib/python{version}"))
    sys.dont_write_bytecode = True
    for src, _ in mappings[:1]:
        sys.path.insert(0, os.path.abspath(src))
    sys.meta_path.insert(0, _Finder(mappings))
    sys.argv = [args.module, *rest]
    runpy.run_module(args.module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
