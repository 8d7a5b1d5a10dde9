"""The key that signs sessions: configured in production, made once for development."""

import stat

import pytest

from server import create_app
from server.config import KEY_FILE


@pytest.fixture(autouse=True)
def no_key_in_environment(monkeypatch):
    for name in ("SECRET_KEY", "HANDVAST_SECRET_KEY", "FLASK_DEBUG", "HANDVAST_DEBUG",
                 "HANDVAST_TESTING"):
        monkeypatch.delenv(name, raising=False)


def _start(instance, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **config},
                      instance_path=str(instance))


def test_production_start_without_a_key_refuses(tmp_path):
    with pytest.raises(RuntimeError, match="will not start without a secret key.*SECRET_KEY"):
        _start(tmp_path)
    assert not (tmp_path / KEY_FILE).exists()


def test_production_start_with_a_configured_key_uses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-value")
    assert _start(tmp_path).secret_key == "a-long-random-production-value"
    assert not (tmp_path / KEY_FILE).exists()


def test_development_start_makes_a_random_key_once_and_reuses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `make run` sets
    first = _start(tmp_path)
    key_file = tmp_path / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) >= 40
    assert _start(tmp_path).secret_key == first.secret_key  # the next run: same sessions valid
    assert _start(tmp_path / "other").secret_key != first.secret_key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", KEY_FILE]  # no drafts left


def test_tests_without_a_key_get_one_of_their_own(tmp_path):
    first, second = _start(tmp_path, TESTING=True), _start(tmp_path, TESTING=True)
    assert first.secret_key
    assert first.secret_key != second.secret_key
    assert not (tmp_path / KEY_FILE).exists()
