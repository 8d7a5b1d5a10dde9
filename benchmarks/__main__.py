"""python -m benchmarks [push|pull|shell|offline|idle|welcome|pages|snapshot|load ...] [--db ...] ...

Prints figures; exits non-zero only when something does not work (see README.md).
"""

import argparse
import os
import platform
import sys
import time
import traceback

import sqlalchemy

from . import common, idle, load, offline_save, pages, pull, push, shell, snapshot, welcome_import

BENCHMARKS = {"push": push, "pull": pull, "shell": shell, "offline": offline_save, "idle": idle,
              "welcome": welcome_import, "pages": pages, "snapshot": snapshot, "load": load}
# Minutes per user count: run only when named (python -m benchmarks load --users 100,300,1000).
EXPLICIT_ONLY = {"load"}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of sync push, pull, the app shell, saving offline and an idle page.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"which to run: {', '.join(BENCHMARKS)} (default: all but "
                             f"{', '.join(sorted(EXPLICIT_ONLY))})")
    parser.add_argument("--db", default=",".join(common.BACKENDS),
                        help="backends for push and pull, comma-separated (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed repetitions (pull: x10 for the quick requests; default 5)")
    parser.add_argument("--rows", type=int, default=pull.ROWS,
                        help="change-log rows for the pull benchmark (default: %(default)s)")
    parser.add_argument("--size", choices=("small", "full"), default="small",
                        help="pages: the region seed-scale builds (small: 2,000 people; full: "
                             "100,000, minutes to build; default %(default)s)")
    parser.add_argument("--requests", type=int, default=pages.REQUESTS,
                        help="pages: timed requests of each page (default %(default)s)")
    parser.add_argument("--users", default="100",
                        help="load: simulated field users per round, comma-separated "
                             "(default %(default)s)")
    parser.add_argument("--seconds", type=int, default=60,
                        help="load: length of each round (default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="push: print a cProfile of one more push")
    args = parser.parse_args(argv)
    if unknown := set(args.names) - set(BENCHMARKS):
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    try:
        args.users = tuple(int(n) for n in args.users.split(",") if n.strip())
    except ValueError:
        parser.error("--users takes whole numbers, comma-separated")
    if not args.users or min(args.users) < 1 or args.seconds < 10:
        parser.error("--users must be at least 1 and --seconds at least 10")
    args.backends = tuple(b.strip() for b in args.db.split(",") if b.strip())
    unknown = set(args.backends) - set(common.BACKENDS)
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    if args.repeat < 1 or args.rows < 10_000 or args.requests < 1:
        parser.error("--repeat and --requests must be at least 1 and --rows at least 10000")
    return args


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    names = args.names or [name for name in BENCHMARKS if name not in EXPLICIT_ONLY]
    print(f"handvast benchmarks: {', '.join(names)} | Python {platform.python_version()}, "
          f"SQLAlchemy {sqlalchemy.__version__}, {os.cpu_count()} CPUs, load average {_load()}")
    print(f"PostgreSQL: {common.pg_base_url()} (BENCH_PG_URL to change); medians of "
          f"{args.repeat} repetitions after a warm-up unless said otherwise", flush=True)
    started, failed = time.perf_counter(), []
    for name in names:
        try:
            if name == "push":
                push.run(args.backends, args.repeat, args.profile)
            elif name == "pull":
                pull.run(args.backends, args.repeat, args.rows)
            elif name == "snapshot":
                snapshot.run(args.backends)
            elif name == "welcome":
                welcome_import.run(args.backends, min(args.repeat, 3))
            elif name == "pages":
                pages.run(args.backends, args.requests, args.size)
            elif name == "load":
                load.run(args.users, args.seconds, args.size)
            else:
                BENCHMARKS[name].run()
        except common.BenchmarkError as exc:
            failed.append(name)
            print(f"  FAILED: {exc}", flush=True)
        except Exception:  # noqa: BLE001 - report, carry on with the others, exit non-zero
            failed.append(name)
            print(f"  FAILED with an error:\n{traceback.format_exc()}", flush=True)
    print(f"\ndone in {time.perf_counter() - started:.0f} s, load average {_load()}"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
