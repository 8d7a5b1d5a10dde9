"""Transfer size of the app shell for a first visit, gzip level 6.

Everything is discovered, nothing listed: GET /login, sign in, GET /; every stylesheet,
script, module preload and manifest those pages reference; the ES modules those scripts
import (static, re-exported and dynamic imports, recursively); /sw.js, what it imports and
every list of URLs it declares as ``const NAME = [...]`` (the precache, e.g. SHELL). Each
file is fetched from the app as a browser would and gzipped; the goal counts HTML, CSS and
JavaScript, other files (manifest, JSON, icons) are listed and totalled apart.
"""

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from . import common

NAME = "shell"
GOAL_KB = 60
ORIGIN = "http://localhost/"
SCRIPT_IMPORT = re.compile(
    r"""(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"'\n]+)["']""")
DYNAMIC_IMPORT = re.compile(r"""\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)""")
IMPORT_SCRIPTS = re.compile(r"""\bimportScripts\s*\(([^)]*)\)""")
URL_LIST = re.compile(r"""\bconst\s+([A-Z_][A-Z0-9_]*)\s*=\s*\[([^\]]*)\]""")
STRING = re.compile(r"""["'`]([^"'`\n]+)["'`]""")
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
LINE_COMMENT = re.compile(r"^\s*//.*$", re.M)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


class References(HTMLParser):
    """The stylesheets, scripts, module preloads and manifest a page links to."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = set(a.get("rel", "").lower().split())
        if tag == "script" and a.get("src"):
            self.found.append(a["src"])
        elif tag == "link" and a.get("href") and (
                rel & {"stylesheet", "manifest", "modulepreload"}
                or ("preload" in rel and a.get("as") in ("script", "style"))):
            self.found.append(a["href"])


@dataclass
class File:
    url: str
    via: str
    kind: str
    raw: int
    gz: int


def _kind(content_type: str, url: str) -> str:
    content_type = content_type.lower()
    if "html" in content_type:
        return "html"
    if "css" in content_type:
        return "css"
    if "javascript" in content_type or "ecmascript" in content_type or url.endswith((".js", ".mjs")):
        return "js"
    return "other"


def _local(url: str, base: str) -> str | None:
    """The path (and query) of a same-origin URL, or None for another origin / bare names."""
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}/" != ORIGIN:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _script_references(text: str) -> list[str]:
    text = LINE_COMMENT.sub("", BLOCK_COMMENT.sub("", text))
    found = SCRIPT_IMPORT.findall(text) + DYNAMIC_IMPORT.findall(text)
    for args in IMPORT_SCRIPTS.findall(text):
        found += STRING.findall(args)
    return [f for f in found if f.startswith(("./", "../", "/", "http:", "https:"))]


def _precache(text: str) -> list[tuple[str, str]]:
    """(list name, url) for every `const NAME = [...]` whose entries are all paths."""
    found = []
    for name, body in URL_LIST.findall(text):
        urls = STRING.findall(body)
        if urls and all(u.startswith("/") for u in urls):
            found += [(name, u) for u in urls]
    return found


class Crawler:
    def __init__(self, client):
        self.client = client
        self.files: dict[str, File] = {}
        self.problems: list[str] = []

    def fetch(self, path: str, via: str) -> None:
        if path in self.files:
            return
        response = self.client.get(path)
        if response.status_code != 200:
            self.problems.append(f"{path} (from {via}) answered {response.status_code}")
            return
        body = response.get_data()
        kind = _kind(response.content_type or "", path)
        self.files[path] = File(path, via, kind, len(body), len(gzip.compress(body, 6)))
        text = body.decode("utf-8", "replace")
        base = urljoin(ORIGIN, path)
        if kind == "html":
            parser = References()
            parser.feed(text)
            for ref in parser.found:
                self._follow(ref, base, path)
        elif kind == "js":
            for ref in _script_references(text):
                self._follow(ref, base, path)
        elif kind == "css":
            for ref in CSS_IMPORT.findall(text):
                self._follow(ref, base, path)

    def _follow(self, ref: str, base: str, via: str) -> None:
        local = _local(ref, base)
        if local is not None:
            self.fetch(local, via)


def _kb(size: int) -> str:
    return f"{size / 1024:7.1f} KB"


def run() -> None:
    common.heading("App shell: transfer size of a first visit (gzip -6; 1 KB = 1024 bytes)")
    with common.sqlite_database() as url:
        app = common.make_app(url)
        try:
            world = common.build_world(app)
            anonymous = Crawler(app.test_client())
            anonymous.fetch("/login", "first visit")
            client = common.sign_in(app, world.worker_email)
            crawler = Crawler(client)
            crawler.files.update(anonymous.files)
            crawler.problems += anonymous.problems
            crawler.fetch("/", "after sign-in")
            crawler.fetch("/sw.js", "registered by the page")
            sw = client.get("/sw.js").get_data(as_text=True)
            for name, path in _precache(sw):
                crawler.fetch(path, f"sw.js {name}")
        finally:
            common.dispose(app)
    _report(crawler)


def _report(crawler: Crawler) -> None:
    files = sorted(crawler.files.values(), key=lambda f: (f.kind == "other", f.kind, f.url))
    width = max(len(f.url) for f in files)
    print(f"  {'file':<{width}}  {'kind':<5} {'raw':>10} {'gzip':>10}   via")
    for f in files:
        print(f"  {f.url:<{width}}  {f.kind:<5} {_kb(f.raw):>10} {_kb(f.gz):>10}   {f.via}")
    shell = [f for f in files if f.kind != "other"]
    other = [f for f in files if f.kind == "other"]
    total = sum(f.gz for f in shell)
    for kind in ("html", "css", "js"):
        part = [f for f in shell if f.kind == kind]
        print(f"  {kind.upper() + ' (' + str(len(part)) + ' files)':<{width}}        "
              f"{_kb(sum(f.raw for f in part)):>10} {_kb(sum(f.gz for f in part)):>10}")
    print(f"  {'HTML + CSS + JS':<{width}}        {_kb(sum(f.raw for f in shell)):>10} "
          f"{_kb(total):>10}   goal < {GOAL_KB} KB -> {common.verdict(total < GOAL_KB * 1024)}")
    print(f"  {'other (manifest, JSON, images)':<{width}}        "
          f"{_kb(sum(f.raw for f in other)):>10} {_kb(sum(f.gz for f in other)):>10}")
    print(f"  {'everything':<{width}}        {_kb(sum(f.raw for f in files)):>10} "
          f"{_kb(sum(f.gz for f in files)):>10}", flush=True)
    common.check(not crawler.problems, "referenced but not served: " + "; ".join(crawler.problems))
