"""The app's own scripts and stylesheets are served minified (rjsmin, rcssmin): the comments
and indentation of pwa/ are for whoever reads the code, not for a phone's data plan. Vendored
files come minified already. ``MINIFY_ASSETS = False`` serves pwa/ as written, for debugging."""

from functools import lru_cache

import rcssmin
import rjsmin

MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def minifiable(path: str) -> bool:
    return path.endswith(tuple(MINIFIERS)) and "/vendor/" not in path


@lru_cache(maxsize=128)
def minified(suffix: str, source: str) -> str:
    """The same text as ``source`` for the browser, smaller (the same source, the same bytes:
    its ETag still tells versions apart)."""
    return MINIFIERS[suffix](source)


def minify(path: str, body: bytes) -> bytes:
    suffix = path[path.rindex("."):]
    return minified(suffix, body.decode("utf-8")).encode("utf-8")
