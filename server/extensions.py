"""Extension objects, created unbound and initialised in the app factory."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from .core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Registered before server/web.py's revalidation, so it runs after it: the ETag is made on the
# page's bytes, then compression suffixes it (":br") and answers If-None-Match again.
compress = Compress()


def one_or_not_found(query, *, for_update: bool = False):  # noqa: ANN001, ANN201 - the entity
    """The single row of a scoped query, or NotFound: out of scope and missing look alike.

    ``for_update``: the row is about to change. Lock it for the rest of the transaction and
    read its newest committed state, so that a concurrent writer (another app process on
    PostgreSQL) is waited for and merged against, never silently overwritten."""
    from .core.errors import NotFound

    if for_update:  # OF the record itself: its eagerly joined relations stay unlocked
        entity = query.column_descriptions[0]["entity"]
        query = query.with_for_update(of=entity).execution_options(populate_existing=True)
    record = db.session.scalar(query)
    if record is None:
        raise NotFound
    return record
