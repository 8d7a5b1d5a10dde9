"""`make test` after the set-up: the checks, then the suite in two lanes side by side, then the
check that no test was dropped, and the wall time of each part.

- server: every test but the browser ones on SQLite, then the ones that use the suite's
  database (marked `database`, tests/conftest.py) again on PostgreSQL, with those that check
  PostgreSQL itself (marked `postgres`: a query plan, an extension) there only;
- phones: the browser tests, once, on PostgreSQL (several phones share one server in many of
  them; the production database).

Each lane step has its own database (a throwaway PostgreSQL database or a SQLite file in its
own temporary folder), its own ports and its own log; a lane's log is printed when the lane
ends, so the two never interleave. Usage: python .ci/lanes.py POSTGRES_URL [STARTED]"""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".test-lanes"
BIN = ROOT / ".venv" / "bin"
PYTEST = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider"]


@dataclass
class Step:
    name: str
    marks: str
    postgres: bool
    seconds: float = 0.0
    code: int | None = None
    summary: str = ""

    @property
    def listed(self) -> Path:
        return WORK / f"{self.name}.tests"

    @property
    def log(self) -> Path:
        return WORK / f"{self.name}.log"

    def run(self, postgres_url: str) -> None:
        env = {**os.environ, "HANDVAST_LIST_TESTS": str(self.listed)}
        env.pop("TEST_DATABASE_URL", None)
        if self.postgres:
            env["TEST_DATABASE_URL"] = postgres_url
        started = time.monotonic()
        with self.log.open("w") as log:
            self.code = subprocess.call(
                [*PYTEST, "-m", self.marks, f"--basetemp={WORK / self.name}"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.seconds = time.monotonic() - started
        lines = [line for line in self.log.read_text().splitlines() if line.strip()]
        self.summary = lines[-1] if lines else "(no output)"


@dataclass
class Lane:
    name: str
    steps: list[Step]
    seconds: float = 0.0
    thread: threading.Thread | None = field(default=None, repr=False)

    def start(self, postgres_url: str, printing: threading.Lock) -> None:
        def run() -> None:
            started = time.monotonic()
            for step in self.steps:
                step.run(postgres_url)
            self.seconds = time.monotonic() - started
            with printing:
                for step in self.steps:
                    print(f"\n== lane {self.name}: {step.name} ({step.marks})", flush=True)
                    sys.stdout.write(step.log.read_text())
                    sys.stdout.flush()

        self.thread = threading.Thread(target=run)
        self.thread.start()


LANES = [
    Lane("server", [Step("server-sqlite", "not browser and not postgres", postgres=False),
                    Step("server-postgres", "(database or postgres) and not browser",
                         postgres=True)]),
    Lane("phones", [Step("phones-postgres", "browser", postgres=True)]),
]


def _tests(path: Path) -> dict[str, str]:
    """node id -> "database" (uses the suite's database), "postgres" (checks PostgreSQL
    itself: a plan, an extension) or ""."""
    tests = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        node, _, mark = line.partition("\t")  # node ids hold spaces
        tests[node] = mark
    return tests


def dropped(steps: list[Step]) -> list[str]:
    """Each test of the whole suite runs in at least one lane; each test that uses the suite's
    database (the browser tests aside: they run once) on SQLite and on PostgreSQL."""
    whole = WORK / "whole.tests"
    subprocess.run([*PYTEST, "--collect-only", f"--basetemp={WORK / 'whole'}"], cwd=ROOT,
                   env={**os.environ, "HANDVAST_LIST_TESTS": str(whole)},
                   stdout=subprocess.DEVNULL, check=True)
    ran = {step.name: set(_tests(step.listed)) for step in steps}
    everywhere = set().union(*ran.values())
    problems = [f"{node}: in no lane" for node in _tests(whole) if node not in everywhere]
    where = {"database": ("server-sqlite", "server-postgres"), "postgres": ("server-postgres",)}
    for node, mark in _tests(whole).items():
        if mark and "tests/browser/" not in node:
            problems += [f"{node}: not in {name}" for name in where[mark] if node not in ran[name]]
    return problems


def main(postgres_url: str, started: float) -> int:
    WORK.mkdir(exist_ok=True)
    parts: list[tuple[str, float]] = [("set-up (install from the locks, catalogs, Chromium)",
                                       time.time() - started)]
    begun = time.monotonic()
    code = subprocess.call([str(BIN / "ruff"), "check", "."], cwd=ROOT)
    code = code or subprocess.call(["bash", ".ci/audit"], cwd=ROOT)
    parts.append(("ruff, bandit, pip-audit", time.monotonic() - begun))
    if code:
        return code
    begun, printing = time.monotonic(), threading.Lock()
    for lane in LANES:
        lane.start(postgres_url, printing)
    for lane in LANES:
        lane.thread.join()
    steps = [step for lane in LANES for step in lane.steps]
    parts += [(f"lane {lane.name}", lane.seconds) for lane in LANES]
    parts.append(("both lanes side by side", time.monotonic() - begun))
    begun = time.monotonic()
    problems = dropped(steps)
    parts.append(("lane check (the whole suite collected once more)", time.monotonic() - begun))
    print("\n== summary")
    for step in steps:
        print(f"{step.name:16} {len(_tests(step.listed)):5} tests {step.seconds:7.0f} s  "
              f"{step.summary}")
    for problem in problems:
        print(f"lane check: {problem}")
    print(f"lane check: {'every test ran where it must' if not problems else 'FAILED'}")
    for name, seconds in parts:
        print(f"{name:52} {seconds:6.0f} s")
    print(f"{'make test':52} {time.time() - started:6.0f} s")
    return 1 if problems or any(step.code for step in steps) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else time.time()))
