"""Migrations: one head, and `upgrade head` on an empty database equals the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from server import ROOT, create_app
from server.extensions import db

from .postgres import create_database

pytestmark = pytest.mark.committed  # other processes, threads or databases read what it writes


def test_single_head():
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.database  # on the suite's kind of database (TEST_DATABASE_URL)
def test_upgrade_head_on_an_empty_database_matches_the_models(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    url, drop = create_database(base) if base else (f"sqlite:///{tmp_path / 'm.db'}", None)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
                counter = conn.exec_driver_sql("SELECT id, value FROM change_counter").all()
            db.engine.dispose()
        assert diff == []
        assert counter == [(1, 0)]
    finally:
        if drop:
            drop()
