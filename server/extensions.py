"""Extension objects, created unbound and initialised in the app factory."""

from flask_babel import Babel
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


def one_or_not_found(query):  # noqa: ANN001, ANN201 - returns the query's entity
    """The single row of a scoped query, or NotFound: out of scope and missing look alike."""
    from .core.errors import NotFound

    record = db.session.scalar(query)
    if record is None:
        raise NotFound
    return record
