"""The uploaded export between upload and mapping: a temporary file in the instance folder,
named by a random token, deleted as soon as it is staged (or after an hour). The session
holds the token only; the file's other columns never reach the database."""

import secrets
import time
from pathlib import Path

from flask import current_app, session
from werkzeug.datastructures import FileStorage

from ..core.errors import N_, NotFound, ValidationFailed
from ..core.validate import clean_line
from .spreadsheet import kind_of

SESSION_KEY = "welcome_upload"
MAX_AGE_S = 3600


def folder() -> Path:
    path = Path(current_app.instance_path) / "welcome-uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sweep(max_age_s: int = MAX_AGE_S) -> None:
    limit = time.time() - max_age_s
    for path in folder().glob("*.*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def save(upload: FileStorage | None) -> dict:
    """Checks size and type, writes the file, remembers its token in the session."""
    if upload is None or not upload.filename:
        raise ValidationFailed.single("file", N_("choose a file"))
    limit = current_app.config["WELCOME_MAX_UPLOAD_BYTES"]
    try:
        raw = upload.stream.read(limit + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file: closed now
    if len(raw) > limit:
        raise ValidationFailed.single("file", N_("the file is too large"))
    if not raw.strip():
        raise ValidationFailed.single("file", N_("the file is empty"))
    kind = kind_of(upload.filename, raw[:8])
    sweep()
    token = secrets.token_urlsafe(16)
    (folder() / f"{token}.{kind}").write_bytes(raw)
    # The name is shown and stored as any single line a person types is (a NUL in it would
    # not even be stored).
    held = {"token": token, "kind": kind, "name": clean_line(Path(upload.filename).name)[:200]}
    session[SESSION_KEY] = held
    return held


def held(token: str) -> tuple[dict, Path]:
    """The upload of this session with this token, or a 404."""
    held = session.get(SESSION_KEY)
    if not held or held.get("token") != token:
        raise NotFound
    path = folder() / f"{token}.{held['kind']}"
    if not path.exists():
        raise NotFound
    return held, path


def discard(token: str) -> None:
    for path in folder().glob(f"{token}.*"):
        path.unlink(missing_ok=True)
    if session.get(SESSION_KEY, {}).get("token") == token:
        session.pop(SESSION_KEY, None)


def from_path(path: Path) -> str:
    """The kind of a file given on the command line."""
    with path.open("rb") as handle:
        head = handle.read(8)
    return kind_of(path.name, head)
