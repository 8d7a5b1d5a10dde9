"""Access logs without personal data or secrets: no query strings, no invitation tokens.

Development: a filter on werkzeug's request log (and the app's own log, whose error lines name
the path). Production: gunicorn's access log through ``AccessLogger`` (see README).
"""

import logging
import re

from flask import Flask

# Paths that carry a secret in a segment: /invite/<token>, /calendar/<secret>.ics.
SECRET_SEGMENT = re.compile(r"(/invite/|/calendar/(?=[^\s/?#\"]+\.ics))[^\s/?#\"]+")
QUERY = re.compile(r"\?[^\s\"]*")


def redact(text: str) -> str:
    """A log line, or a path, with secrets in paths hidden and query strings dropped."""
    return QUERY.sub("", SECRET_SEGMENT.sub(r"\1[redacted]", text))


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def init_app(app: Flask) -> None:
    for logger in (logging.getLogger("werkzeug"), app.logger):
        if not any(isinstance(f, RedactFilter) for f in logger.filters):
            logger.addFilter(RedactFilter())


try:
    from gunicorn.glogging import Logger
except ImportError:  # gunicorn does not run on every platform a developer uses
    Logger = None

if Logger is not None:

    class AccessLogger(Logger):
        """gunicorn's logger, its access-log fields redacted whatever the format says:
        ``gunicorn --access-logfile - --logger-class server.logs.AccessLogger``."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            path = redact(environ.get("PATH_INFO", ""))
            atoms.update(r=f"{atoms['m']} {path} {atoms['H']}", U=path, q="",
                         f=redact(atoms.get("f", "-")))
            # Headers and environ: cookies, the raw URI and the query string stay out.
            return {k: v for k, v in atoms.items() if not k.startswith("{")}
