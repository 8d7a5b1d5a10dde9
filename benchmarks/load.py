"""The ceiling of one server: Locust field users (benchmarks/locustfile.py) against gunicorn on
PostgreSQL and Redis, at several user counts; per endpoint requests/s and p50/p95/p99, errors,
and every acknowledged contact counted in the database afterwards (0 lost, 0 doubled)."""

import csv
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from . import common

NAME = "load"
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def _argon2(app) -> None:
    from server.auth.passwords import hash_password

    with app.app_context():
        timing = common.measure(lambda: hash_password("a benchmark password"), 3)
    print(f"  argon2id: time_cost {app.config['ARGON2_TIME_COST']}, memory_cost "
          f"{app.config['ARGON2_MEMORY_COST']} KiB (the defaults); one hash "
          f"{common.ms(timing.median).strip()} (median of 3)", flush=True)


def _fill(app, users: int, size: str) -> dict:
    """The region, plus `users` workers on the scale worker's team, all with one password."""
    from dataclasses import replace

    from server.auth.models import Membership, User
    from server.auth.passwords import hash_password
    from server.demo.scale import SMALL, Size, seed_scale
    from server.demo.seed import DEMO_PASSWORD
    from server.extensions import db
    from server.org.models import TeamMember
    from server.people.models import Person

    with app.app_context():
        region = seed_scale(SMALL if size == "small" else replace(Size()),
                            echo=lambda text: None)
        worker = db.session.get(User, region.worker_id)
        membership = worker.memberships[0]
        team_id = db.session.scalar(select(TeamMember.team_id)
                                    .where(TeamMember.user_id == worker.id))
        hashed, emails = hash_password(DEMO_PASSWORD), []
        for i in range(users):
            user = User(email=f"load.worker{i}@example.org", display_name=f"Load worker {i}",
                        password_hash=hashed)
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, municipality_id=membership.municipality_id,
                                      role="worker"))
            db.session.add(TeamMember(team_id=team_id, user_id=user.id))
            emails.append(user.email)
        people = list(db.session.scalars(select(Person.id).where(Person.team_id == team_id)))
        db.session.commit()
        db.session.remove()
    return {"accounts": emails, "password": DEMO_PASSWORD, "people": people}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpus() -> tuple[set[int], set[int]]:
    """(server CPUs, load generator CPUs): apart when the machine has two or more."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return set(cpus), set(cpus)
    return set(cpus[: len(cpus) // 2]), set(cpus[len(cpus) // 2:])


WORKERS = 2 * (os.cpu_count() or 1)
THREADS = 4


def _gunicorn(url: str, port: int, cpus: set[int]) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SECRET_KEY": "bench-" + url[-8:],
           # 1,000 sign-ins from one address: the sign-in limit is lifted for the benchmark
           "HANDVAST_LOGIN_LIMITS": "1000000 per minute",
           # the pool of hashing slots per process: the CPUs shared by all workers
           "HANDVAST_PASSWORD_HASH_SLOTS": "1"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(WORKERS), "--threads", str(THREADS),
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "10",
               # longer than a user's pause (1-5 s): no idle connection closed as a request comes
               "--keep-alive", "30", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, preexec_fn=lambda: os.sched_setaffinity(0, cpus))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise common.BenchmarkError(f"gunicorn did not start: {server.stderr.read()[-500:]!r}")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _locust() -> str:
    found = os.environ.get("LOCUST") or shutil.which("locust", path=str(ROOT / ".venv/bin")) \
        or shutil.which("locust")
    if not found:
        raise common.Skipped("locust is not installed (make install-dev, or LOCUST=/path/to/locust)")
    return found


def _round(locust: str, port: int, users: int, seconds: int, cpus: set[int], setup: Path,
           work: Path) -> tuple[list[dict], list[dict], list[dict]]:
    ledger, prefix = work / f"ledger-{users}.json", work / f"stats-{users}"
    env = {**os.environ, "LOAD_ACCOUNTS": str(setup), "LOAD_LEDGER": str(ledger)}
    command = [locust, "-f", str(ROOT / "benchmarks/locustfile.py"), "--headless", "-u", str(users),
               "-r", str(max(1, users // 20)), "--run-time", f"{seconds}s", "--host",
               f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "30", "--loglevel", "ERROR"]
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   preexec_fn=lambda: os.sched_setaffinity(0, cpus), timeout=seconds + 300)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        stats = list(csv.DictReader(file))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        failures = list(csv.DictReader(file))
    return stats, failures, json.loads(ledger.read_text(encoding="utf-8"))


def _report(users: int, stats: list[dict], failures: list[dict]) -> None:
    print(f"  [{users} users]  {'endpoint':<28}{'requests':>9}{'fail':>6}{'req/s':>8}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in stats:
        print(f"  {'':12}{row['Name']:<28}{row['Request Count']:>9}{row['Failure Count']:>6}"
              f"{float(row['Requests/s']):>8.1f}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}",
              flush=True)
    for row in failures:
        print(f"  error: {row['Occurrences']} x {row['Name']}: {row['Error'][:120]}", flush=True)


def _count(app, ledger: list[dict]) -> None:
    """Acknowledged contacts are in the database once each; the rest are not, or said so."""
    from server.contacts.models import Contact
    from server.extensions import db
    from server.sync.models import AppliedMutation

    acked = [m for m in ledger if m["status"] == "applied"]
    records, ids = [m["record_id"] for m in ledger], [m["id"] for m in ledger]
    with app.app_context():
        contacts = db.session.scalar(select(func.count()).select_from(Contact)
                                     .where(Contact.id.in_(records))) if records else 0
        applied = db.session.scalar(select(func.count()).select_from(AppliedMutation)
                                    .where(AppliedMutation.id.in_(ids))) if ids else 0
        db.session.remove()
    unanswered = len(ledger) - len(acked)
    print(f"  mutations sent {len(ledger)}, acknowledged {len(acked)}, not acknowledged "
          f"{unanswered}; contacts in the database {contacts}, ledger rows {applied}", flush=True)
    common.check(contacts >= len(acked) and contacts == applied <= len(ledger),
                 f"lost or doubled writes: {len(acked)} acknowledged, {contacts} contacts, "
                 f"{applied} applied_mutation rows")


def run(users: tuple[int, ...] = (100,), seconds: int = 60, size: str = "small") -> None:
    common.heading(f"Load: field users at {', '.join(map(str, users))} for {seconds} s each "
                   "(gunicorn + PostgreSQL + Redis, Locust)")
    try:
        locust = _locust()
        with common.postgres_database() as url, tempfile.TemporaryDirectory() as work:
            app = common.make_app(url, ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536)
            try:
                _argon2(app)
                setup = Path(work) / "accounts.json"
                setup.write_text(json.dumps(_fill(app, max(users), size)), encoding="utf-8")
                server_cpus, load_cpus = _cpus()
                print(f"  gunicorn ({WORKERS} workers x {THREADS} threads, 1 hashing slot each) on "
                      f"CPUs {sorted(server_cpus)}, Locust on {sorted(load_cpus)}", flush=True)
                port = _port()
                server = _gunicorn(url, port, server_cpus)
                try:
                    for count in users:
                        stats, failures, ledger = _round(locust, port, count, seconds,
                                                         load_cpus, setup, Path(work))
                        _report(count, stats, failures)
                        _count(app, ledger)
                finally:
                    _stop(server)
            finally:
                common.dispose(app)
    except common.Skipped as exc:
        print(f"  SKIPPED: {exc}", flush=True)
