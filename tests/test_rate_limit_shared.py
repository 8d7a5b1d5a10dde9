"""With REDIS_URL set, app processes share login rate limits: a second process sees the
failures the first one counted. Runs two real processes against the machine's Redis."""

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.committed  # other processes, threads or databases read what it writes

SCRIPT = r"""
import json, sys
from server import create_app
from server.extensions import db
from server.core.changes import ensure_counter
from tests import factories
from tests.conftest import sign_in

db_url, attempts, create = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "TESTING": True, "SECRET_KEY": "x",
                  "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
with app.app_context():
    if create:
        db.create_all(); ensure_counter(db.session)
        factories.make_user("shared@a.test", factories.make_municipality(), "worker")
        db.session.commit()
codes = [sign_in(app.test_client(), "shared@a.test", "wrong").status_code for _ in range(attempts)]
print(json.dumps(codes))
"""


def _redis_url() -> tuple[str, subprocess.Popen | None]:
    """The machine's Redis, or one started here on a free port."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/0", None
    except OSError:
        pass
    server = shutil.which("redis-server")
    assert server, "Redis is needed: apt-get install redis-server"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL)
    for _ in range(200):  # until it accepts connections
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.01)
    return f"redis://127.0.0.1:{port}/0", proc


@pytest.fixture
def redis_url():
    url, proc = _redis_url()
    yield url
    if proc:
        proc.terminate()
        proc.wait(timeout=10)


def _run(env: dict, db_url: str, attempts: int, create: bool) -> list[int]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, db_url, str(attempts), "1" if create else "0"],
                         env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_processes_share_the_login_limit(tmp_path, redis_url):
    import os

    from server import ROOT

    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT),
           "HANDVAST_RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}"}
    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = _run(env, db_url, 6, create=True)
    second = _run(env, db_url, 5, create=False)
    assert first == [401] * 6
    assert second == [401, 401, 401, 401, 429]
