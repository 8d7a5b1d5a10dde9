"""WSGI entry point: `gunicorn wsgi:app` (see README)."""

from server import create_app

app = create_app()
