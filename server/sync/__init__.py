"""Sync: the push/pull API of shared/SYNC.md and the conflict inbox."""

from flask import Flask
from sqlalchemy.orm import Session

from ..core.changes import install


def init_app(app: Flask) -> None:
    from ..working_set import keep
    from .cli import sync_cli
    from .pages import bp as pages
    from .views import bp

    install(Session)
    app.register_blueprint(bp)
    app.register_blueprint(pages)
    keep(app, "/conflicts", concerns=("conflict",))  # the phone's own pushes make conflicts
    keep(app, "/attention")
    app.cli.add_command(sync_cli)
