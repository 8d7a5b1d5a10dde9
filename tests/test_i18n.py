"""The catalogs: the template follows the code, every shipped language is complete and
well-formed (GNU msgfmt agrees), and the catalog commands give the same bytes every run."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from server.i18n import catalogs, offered_languages

SHIPPED = ["nl", "fr", "en", "ar", "tr", "uk"]
LANGUAGES = catalogs.languages_present()  # the shipped ones and any catalog added since
# A printf-style conversion as Python's % operator reads it: %(name)s, %d, %%.
CONVERSION = re.compile(r"%(?:\((?P<name>\w+)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])")


def ids(catalog: Catalog) -> set:
    return {m.id for m in catalog if m.id}


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


def english(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if message.pluralizable else (message.id,)


def placeholders(text: str) -> set[str]:
    return {m["name"] or m["type"] for m in CONVERSION.finditer(text) if m["type"] != "%"}


def raw_header(path: Path) -> dict[str, str]:
    """The header fields as written in the file (Babel would rebuild them)."""
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(re.findall(r'^"([\w-]+): (.*)\\n"$', head, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogs.read_catalog(catalogs.TEMPLATE)


def catalog(language: str) -> Catalog:
    return catalogs.read_catalog(catalogs.catalog_path(language), language)


# -- the template ------------------------------------------------------------------------

def test_template_is_up_to_date_with_the_code(tmp_path, template):
    fresh = tmp_path / "messages.pot"
    catalogs.extract(fresh)
    extracted = catalogs.read_catalog(fresh)
    missing, stale = ids(extracted) - ids(template), ids(template) - ids(extracted)
    assert not missing, f"new strings not in translations/messages.pot: {sorted(missing, key=str)}; " \
        "run `flask i18n update` and translate them"
    assert not stale, f"strings the code no longer has: {sorted(stale, key=str)}; " \
        "run `flask i18n update`"
    assert fresh.read_bytes() == catalogs.TEMPLATE.read_bytes(), \
        "same strings, other bytes: write the template with `flask i18n extract`"


def test_extract_gives_the_same_bytes_every_run(tmp_path):
    first, second = tmp_path / "a.pot", tmp_path / "b.pot"
    catalogs.extract(first)
    catalogs.extract(second)
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "POT-Creation-Date" not in text  # no dates
    assert "#:" not in text  # no line numbers


# -- every shipped catalog ---------------------------------------------------------------

def test_every_catalog_is_offered_the_default_first(app):
    assert set(SHIPPED) <= set(LANGUAGES)
    assert app.config["LANGUAGES"][0] == app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert sorted(app.config["LANGUAGES"]) == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_exactly_the_strings_of_the_template(language, template):
    path = catalogs.catalog_path(language)
    found = ids(catalog(language))
    assert not ids(template) - found, f"missing in {language}: {sorted(ids(template) - found, key=str)}"
    assert not found - ids(template), f"not in the template: {sorted(found - ids(template), key=str)}"
    assert "\n#~ " not in path.read_text(encoding="utf-8"), "obsolete entries are kept out"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_fully_translated(language):
    untranslated = [m.id for m in catalog(language) if m.id and not all(forms(m))]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_fuzzy_entries(language):
    path = catalogs.catalog_path(language)
    fuzzy = [m.id for m in catalog(language) if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert "fuzzy" not in path.read_text(encoding="utf-8"), "not even the header is fuzzy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_names_the_language_and_its_plural_rule(language):
    header = raw_header(catalogs.catalog_path(language))
    assert header.get("Language") == language
    assert header.get("Plural-Forms") == Catalog(locale=language).plural_forms
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    plural_counts = {len(m.string) for m in catalog(language) if m.pluralizable}
    assert plural_counts <= {Catalog(locale=language).num_plurals}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for message in catalog(language):
        if not message.id:
            continue
        source = set().union(*(placeholders(s) for s in english(message)))
        strings = [s for s in forms(message) if s]
        for text in strings:
            used = placeholders(text)
            # A plural form may leave the number out ("one minute"); nothing may be added.
            if used - source or (not message.pluralizable and used != source):
                wrong.append((message.id, text))
            try:  # templates always format: a stray % would break the page
                text % {name: 1 for name in source}
            except (KeyError, ValueError, TypeError) as exc:
                wrong.append((message.id, f"{text} ({exc})"))
        if message.pluralizable and strings and not any(placeholders(s) == source for s in strings):
            wrong.append((message.id, "no form shows the number"))
    assert not wrong, wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_passes_msgfmt_check(language):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed: apt-get install gettext (`make test` does it)"
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null",
                             str(catalogs.catalog_path(language))], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr


# -- the commands ------------------------------------------------------------------------

@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the Western catalogs to run the commands on."""
    for language in ("nl", "fr", "en"):
        target = catalogs.catalog_path(language, tmp_path)
        target.parent.mkdir(parents=True)
        shutil.copy(catalogs.catalog_path(language), target)
    return tmp_path


def _template_with(tmp_path: Path, *extra: Message, without: tuple = ()) -> Path:
    with catalogs.TEMPLATE.open("rb") as f:
        pot = read_po(f)
    for message in extra:
        pot[message.id] = message
    for msgid in without:
        del pot[msgid]
    path = tmp_path / "changed.pot"
    with path.open("wb") as f:
        write_po(f, pot, omit_header=True, sort_output=True, no_location=True)
    return path


def test_update_changes_nothing_when_the_template_did_not_change(workspace):
    before = {p: p.read_bytes() for p in workspace.rglob("*.po")}
    catalogs.update(["nl", "fr", "en"], translations=workspace)
    assert {p: p.read_bytes() for p in workspace.rglob("*.po")} == before


def test_update_adds_new_strings_untranslated_and_never_guesses(workspace, tmp_path):
    original = catalogs.catalog_path("nl", workspace).read_bytes()
    near_twin = Message("Log contacts")  # one letter from "Log contact": no fuzzy guess
    plural = Message(("%(num)d new person", "%(num)d new people"), flags={"python-format"})
    catalogs.update(["nl"], template=_template_with(tmp_path, near_twin, plural),
                    translations=workspace)
    updated = catalogs.read_catalog(catalogs.catalog_path("nl", workspace), "nl")
    assert updated["Log contacts"].string == ""
    assert updated["%(num)d new person"].string == ("", "")
    assert not any(m.fuzzy for m in updated)
    assert updated["Log contact"].string == "Contact loggen"
    catalogs.update(["nl"], translations=workspace)  # the strings go away again
    assert catalogs.catalog_path("nl", workspace).read_bytes() == original


def test_update_starts_afresh_a_string_that_turned_plural(workspace, tmp_path):
    now_plural = Message(("Contact", "Contacts"))  # Babel would keep "Contactmoment", fuzzy
    catalogs.update(["nl"], template=_template_with(tmp_path, now_plural), translations=workspace)
    updated = catalogs.read_catalog(catalogs.catalog_path("nl", workspace), "nl")
    assert updated["Contact"].string == ("", "")
    assert not any(m.fuzzy for m in updated)


def test_update_drops_strings_the_code_no_longer_has(workspace, tmp_path):
    catalogs.update(["fr"], template=_template_with(tmp_path, without=("Log contact",)),
                    translations=workspace)
    text = catalogs.catalog_path("fr", workspace).read_text(encoding="utf-8")
    assert "Log contact" not in text
    assert "#~" not in text


def test_init_starts_a_new_language_that_the_app_then_offers(tmp_path):
    path = catalogs.init("pl", translations=tmp_path)
    header = raw_header(path)
    assert header["Language"] == "pl"
    assert header["Plural-Forms"].startswith("nplurals=3;")
    new = catalogs.read_catalog(path, "pl")
    with catalogs.TEMPLATE.open("rb") as f:
        assert ids(new) == ids(read_po(f))
    assert "fuzzy" not in path.read_text(encoding="utf-8")
    with pytest.raises(FileExistsError):
        catalogs.init("pl", translations=tmp_path)
    assert offered_languages("nl", str(tmp_path)) == ["nl", "pl"]


@pytest.mark.usefixtures("compiled_catalogs")
@pytest.mark.parametrize(("language", "samples"), [
    ("ar", {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}),
    ("uk", {"one": 1, "few": 2, "many": 5}), ("tr", {"one": 1, "other": 2})])
def test_scripts_get_every_message_and_a_plural_form_per_category(client, language, samples):
    from babel.support import Translations

    body = client.get("/i18n/messages.json", headers={"Accept-Language": language}).get_json()
    translations = Translations.load(str(catalogs.TRANSLATIONS), [language])
    template = catalogs.read_catalog(catalogs.TEMPLATE)
    assert body["language"] == language
    assert set(body["messages"]) == {m.id for m in template if isinstance(m.id, str) and m.id}
    assert body["messages"]["Sync now"] == translations.gettext("Sync now") != "Sync now"
    assert body["plurals"]["%(num)d waiting"] == {
        category: translations.ngettext("%(num)d waiting", "%(num)d waiting", number)
        for category, number in samples.items()}
