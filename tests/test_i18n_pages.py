"""Every page in every language: it renders, says which language and direction it is in, and
shows no English string that the language translates; mixed-direction text is isolated."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from babel import Locale

from server.auth.models import User
from server.core.clock import now, today_local
from server.core.ids import new_id
from server.core.mutations import Mutation
from server.extensions import db
from server.i18n import catalogs
from server.sync.apply import apply_one

from . import factories
from .test_i18n import CONVERSION, LANGUAGES, english, forms, placeholders

ROLES = ["volunteer", "buddy", "officer", "worker", "coordinator", "admin"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SHOWN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
ARABIC_NAME = "أمينة الإدريسي"
NAMES = {"volunteer": "Sofie Peeters", "buddy": "Jan Claes", "officer": "Wim Janssens",
         "worker": "Leen Maes", "coordinator": "An Wouters", "admin": "Koen Jacobs"}
DUTCH_SERVICE = "Huis van het Nederlands"

pytestmark = pytest.mark.usefixtures("compiled_catalogs")


class Page(HTMLParser):
    """The text a person sees or hears: every text node, the text of every element, and the
    attributes that are read out; plus <html lang dir> and where given strings occur."""

    def __init__(self, html: str, watch: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict, list[str]]] = []
        self.texts: list[str] = []
        self.root: dict = {}
        self.watch, self.unisolated, self.seen = watch, [], 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.root = attrs
        self.texts += [attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") != "hidden":
            self._watch(attrs.get("value", ""), [*self.stack, (tag, attrs, [])])
        if tag not in VOID:
            self.stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        while self.stack and tag not in VOID:
            name, _attrs, parts = self.stack.pop()
            text = "".join(parts)
            if name not in ("script", "style"):
                self.texts.append(text)
                if self.stack:
                    self.stack[-1][2].append(text)
            if name == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        self.texts.append(data)
        if self.stack:
            self.stack[-1][2].append(data)
        self._watch(data, self.stack)

    def _watch(self, text: str, stack) -> None:
        if not self.watch or self.watch not in text:
            return
        self.seen += 1
        if not any(tag == "bdi" or attrs.get("dir") == "auto" for tag, attrs, _ in stack):
            self.unisolated.append(" > ".join(tag for tag, _, _ in stack[-4:]))


# Placeholders that always hold a number, formatted for the language ("1.234", "80 %", "%80"):
# filled with anything, "%(percent)s (%(numerator)s of %(denominator)s)" would match a Dutch
# sentence with "of" ("or") in brackets.
NUMBERS = {"percent", "numerator", "denominator"}


def _pattern(source: str) -> re.Pattern:
    """"Referral to %(service)s" -> a pattern for the sentence with anything filled in (a
    number for %d and for a placeholder named as a number)."""
    pattern, end = "", 0
    for match in CONVERSION.finditer(source):
        pattern += re.escape(source[end:match.start()])
        if match["type"] in "di":
            pattern += r"-?\d+"
        elif match["name"] in NUMBERS:
            pattern += r"[-\d.,\s\u00a0\u202f%٫٬٪]+"
        else:
            pattern += ".+?"
        end = match.end()
    return re.compile(pattern + re.escape(source[end:]))


def leftover_english(language: str) -> tuple[set[str], dict[str, re.Pattern]]:
    """English strings that, in this language, must not be on a page: those it translates
    differently (or not at all). "Team" in Dutch is "Team": that one may stay."""
    literal, patterns = set(), {}
    for message in catalogs.read_catalog(catalogs.catalog_path(language), language):
        if not message.id:
            continue
        for source in english(message):
            if source in forms(message):
                continue
            if placeholders(source):
                patterns[source] = _pattern(source)
            else:
                literal.add(" ".join(source.split()))
    return literal, patterns


def english_on(html: str, literal: set[str], patterns: dict[str, re.Pattern]) -> set[str]:
    found = set()
    for text in Page(html).texts:
        text = " ".join(text.split())
        pieces = {text, text.strip(" ()*:—,"), *(p.strip(" ()*:—,") for p in text.split(" · "))}
        found |= pieces & literal
        found |= {source for source, pattern in patterns.items()
                  for piece in pieces if pattern.fullmatch(piece)}
    return found


@pytest.fixture
def site(app, world):
    """The world, plus what makes every part of every page show: an overdue follow-up with
    a correction, an overdue referral one step along, a person without a team, a conflict."""
    records = world.records
    with app.app_context():
        for key, name in NAMES.items():  # "Hello Volunteer" would read as an English word
            db.session.get(User, world.users[key].id).display_name = name
        worker, volunteer = world.actor("worker"), world.actor("volunteer")
        person = records["person"]
        contact = factories.make_contact(
            worker, [person], follow_up_on=(today_local() - timedelta(days=1)).isoformat(),
            duration_minutes=25, place="Marktplein", note_visibility="team")
        factories.apply(worker, "contact.correct", {"duration_minutes": 30}, record_id=contact)
        records["follow_up"] = contact
        referral = factories.make_referral(
            worker, person, records["service"],
            follow_up_due=(today_local() - timedelta(days=2)).isoformat())
        factories.apply(worker, "referral.advance", {
            "status": "sent", "occurred_on": today_local().isoformat()}, record_id=referral,
            base_version=1)
        records["overdue_referral"] = referral
        factories.make_person(world.actor("officer"), display_name="Zonder team")
        factories.apply(volunteer, "person.update", {"phone": "111"}, record_id=person,
                        base_version=1)
        apply_one(worker, Mutation(id=new_id(), type="person.update", record_id=person,
                                   fields={"phone": "222"}, base_version=1))
        db.session.commit()
    return world


def pages(world) -> list[tuple[str | None, str, int]]:
    """(who, path, status): every page of the app, as the role that uses it."""
    r = world.records
    person, contact, referral = r["person"], r["follow_up"], r["overdue_referral"]
    return [
        (None, "/login", 200), (None, "/offline", 200), (None, "/nowhere", 404),
        *((role, "/", 200) for role in ROLES),
        ("worker", "/people/", 200), ("worker", "/people/new", 200),
        ("worker", f"/people/{person}", 200), ("worker", f"/people/{person}/edit", 200),
        ("worker", "/contacts/new", 200), ("worker", f"/contacts/{contact}", 200),
        ("worker", f"/contacts/{contact}/correct", 200), ("worker", "/contacts/follow-ups", 200),
        ("worker", "/referrals/", 200), ("worker", "/referrals/new", 200),
        ("worker", f"/referrals/{referral}", 200), ("worker", "/services/", 200),
        ("worker", f"/services/{r['service']}", 200), ("worker", "/more", 200),
        ("worker", "/conflicts", 200), ("worker", "/attention", 200),
        ("worker", "/offline", 200), ("worker", "/nowhere", 404),
        ("coordinator", "/more", 200), ("coordinator", "/referrals/?all=1", 200),
        ("coordinator", "/manage/users", 200), ("coordinator", "/manage/teams", 200),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_every_language(app, site, login, language):
    clients = {None: app.test_client(), **{role: login(f"{role}@a.test") for role in ROLES}}
    literal, patterns = leftover_english(language)
    direction = "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"
    problems = []
    for who, path, status in pages(site):
        response = clients[who].get(path, headers={"Accept-Language": language})
        html = response.get_data(as_text=True)
        page = Page(html)
        if response.status_code != status:
            problems.append(f"{who} {path}: status {response.status_code}")
        if (page.root.get("lang"), page.root.get("dir")) != (language, direction):
            problems.append(f"{who} {path}: <html lang={page.root.get('lang')} "
                            f"dir={page.root.get('dir')}>")
        if english := english_on(html, literal, patterns):
            problems.append(f"{who} {path}: English left: {sorted(english)}")
    # A form sent back with errors shows the reasons in the page's language too.
    worker = clients["worker"]
    refused = worker.post("/contacts/", headers={"Accept-Language": language}, data={
        "csrf_token": worker.csrf, "occurred_at": "2099-01-01T10:00", "channel": "pigeon"})
    if refused.status_code != 422:
        problems.append(f"POST /contacts/: status {refused.status_code}")
    if english := english_on(refused.get_data(as_text=True), literal, patterns):
        problems.append(f"POST /contacts/ (errors): English left: {sorted(english)}")
    assert not problems, "\n".join(problems)


def test_untranslated_strings_are_caught():
    """The check itself: an English string the language translates is found, in text, in an
    attribute and with its placeholders filled in; a string the language keeps is not."""
    literal, patterns = leftover_english("nl")
    html = ('<html lang="nl"><title>Home · handvast</title><p>Team</p>'
            '<input placeholder="Search by name"><h1>Referral to <bdi>CAW</bdi></h1></html>')
    assert english_on(html, literal, patterns) == {"Home", "Search by name",
                                                   "Referral to %(service)s"}
    assert not english_on('<p>Start</p><p>Doorverwijzing naar <bdi>CAW</bdi></p>', literal,
                          patterns)


def test_arabic_page_is_right_to_left_and_dutch_left_to_right(client):
    for language, direction in (("ar", "rtl"), ("nl", "ltr"), ("fr", "ltr")):
        page = Page(client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True))
        assert page.root == {"lang": language, "dir": direction}


def test_browser_language_then_default(client):
    def lang(accept: str) -> str:
        return Page(client.get("/login", headers={"Accept-Language": accept})
                    .get_data(as_text=True)).root["lang"]

    assert lang("fr-BE,fr;q=0.9,nl;q=0.8") == "fr"
    assert lang("uk-UA") == "uk"
    assert lang("de-DE") == "nl"  # not offered: the default


def test_chosen_language_is_kept_for_the_user(world, login):
    client = login("worker@a.test")
    response = client.post("/language", data={"csrf_token": client.csrf, "locale": "ar",
                                              "next": "/people/"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/people/"
    assert Page(client.get("/").get_data(as_text=True)).root["dir"] == "rtl"
    again = login("worker@a.test")  # another phone, the same person
    assert Page(again.get("/").get_data(as_text=True)).root == {"lang": "ar", "dir": "rtl"}


def test_mixed_direction_text_is_isolated(app, world, login):
    """An Arabic name in a Dutch page, a Dutch service name in an Arabic page: each keeps its
    own direction (<bdi> or dir=auto) so punctuation and numbers around it stay in place."""
    with app.app_context():
        worker = world.actor("worker")
        person = factories.make_person(worker, display_name=ARABIC_NAME)
        contact = factories.make_contact(worker, [person],
                                         follow_up_on=today_local().isoformat())
        referral = factories.make_referral(worker, person, world.records["service"],
                                           follow_up_due=today_local().isoformat())
        db.session.commit()
    client = login("worker@a.test")
    dutch_pages = ["/", "/people/", f"/people/{person}", f"/people/{person}/edit",
                   f"/contacts/{contact}", "/contacts/new", "/contacts/follow-ups",
                   "/referrals/", f"/referrals/{referral}", "/referrals/new"]
    arabic_pages = ["/", "/services/", f"/services/{world.records['service']}",
                    f"/people/{person}", "/referrals/", f"/referrals/{referral}",
                    "/referrals/new"]
    for language, needle, paths in (("nl", ARABIC_NAME, dutch_pages),
                                    ("ar", DUTCH_SERVICE, arabic_pages)):
        for path in paths:
            html = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
            page = Page(html, watch=needle)
            assert page.seen, f"{needle} not on {path} ({language})"
            assert not page.unisolated, f"{path} ({language}): not isolated in {page.unisolated}"


def test_referral_arrow_is_marked_to_mirror(world, login):
    html = login("worker@a.test").get("/referrals/").get_data(as_text=True)
    assert '<span class="arrow" aria-hidden="true">→</span>' in html


def test_dates_follow_the_language(app, world, login):
    with app.app_context():
        factories.make_contact(world.actor("worker"), [],
                               occurred_at=(now() - timedelta(days=1)).isoformat())
        db.session.commit()
    client = login("coordinator@a.test")  # the overview labels its weeks "d MMM"
    dutch = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    french = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert re.search(r">\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)<", dutch)
    assert re.search(r">\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|"
                     r"nov\.|déc\.)<", french)
