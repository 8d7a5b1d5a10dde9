"""The translation catalogs on disk: extract, merge, compile, start; same bytes on every run."""

import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCES = ("server", "pwa/js")
KEYWORDS = ("_l", "N_", "lazy_pgettext:1c,2")  # on top of Babel's defaults (_, pgettext, …)
TRANSLATORS = "handvast translators"


def catalog_path(language: str, translations: Path = TRANSLATIONS) -> Path:
    return translations / language / "LC_MESSAGES" / "messages.po"


def languages_present(translations: Path = TRANSLATIONS) -> list[str]:
    """Every language with a catalog, by code."""
    return sorted(p.parent.parent.name for p in translations.glob("*/LC_MESSAGES/messages.po"))


def extract(output: Path = TEMPLATE) -> None:
    """Write the template: sorted, no locations, no header, so it only changes with the strings."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", "babel.cfg", *keywords, "-c", "I18N:", "--no-location",
                    "--omit-header", "--sort-output", "-o", str(output), *SOURCES],
                   check=True, cwd=ROOT)


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language)


def header(catalog: Catalog, language: str) -> str:
    """A complete, stable header: kept values where a translator set them, Babel's plural rule."""
    locale = Locale.parse(language)
    revised = catalog.revision_date
    if not isinstance(revised, datetime):
        revised = datetime.now(UTC)
    translator = catalog.last_translator
    if not translator or "FULL NAME" in translator:
        translator = TRANSLATORS
    team = catalog.language_team
    if not team or team.startswith("LANGUAGE"):
        team = locale.english_name
    fields = {
        "Project-Id-Version": "handvast",
        "PO-Revision-Date": revised.strftime("%Y-%m-%d %H:%M%z"),
        "Last-Translator": translator,
        "Language-Team": team,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": Catalog(locale=language).plural_forms,
    }
    lines = [f"# {locale.english_name} translations for handvast.",
             "# Source strings are English: translations/messages.pot.", 'msgid ""', 'msgstr ""']
    lines += [f'"{name}: {value}\\n"' for name, value in fields.items()]
    return "\n".join(lines) + "\n\n"


def write_catalog(catalog: Catalog, path: Path, language: str) -> None:
    """No wrapping, sorted, no obsolete entries, our own header; replaced in one step."""
    catalog.fuzzy = False
    body = _po_bytes(catalog)
    _replace(path, header(catalog, language).encode() + body)


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=None, no_location=True, omit_header=True, sort_output=True,
             ignore_obsolete=True)
    return buffer.getvalue()


def _replace(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update(languages: Iterable[str], template: Path = TEMPLATE,
           translations: Path = TRANSLATIONS) -> None:
    """Merge the template into each catalog: new strings empty, gone strings dropped,
    nothing guessed (no fuzzy matching), nothing marked fuzzy."""
    pot = read_catalog(template)
    for language in languages:
        path = catalog_path(language, translations)
        catalog = read_catalog(path, language)
        was_fuzzy = {m.id for m in catalog if m.id and m.fuzzy}
        catalog.update(pot, no_fuzzy_matching=True, update_creation_date=False)
        for message in catalog:
            if message.id and message.fuzzy and message.id not in was_fuzzy:
                # Babel flags a string that turned plural (or back): start it afresh instead.
                message.flags.discard("fuzzy")
                message.string = ("",) * catalog.num_plurals if message.pluralizable else ""
        write_catalog(catalog, path, language)


def init(language: str, template: Path = TEMPLATE, translations: Path = TRANSLATIONS) -> Path:
    """A new catalog with every string of the template, untranslated."""
    Locale.parse(language)  # refuses a code CLDR does not know
    path = catalog_path(language, translations)
    if path.exists():
        raise FileExistsError(path)
    catalog = Catalog(locale=language)
    catalog.update(read_catalog(template), no_fuzzy_matching=True)
    write_catalog(catalog, path, language)
    return path


def compile_all(translations: Path = TRANSLATIONS) -> list[tuple[str, int, int]]:
    """Build every .mo (fuzzy entries left out); (language, translated, total) per catalog."""
    stats = []
    for language in languages_present(translations):
        catalog = read_catalog(catalog_path(language, translations), language)
        messages = [m for m in catalog if m.id]
        translated = sum(1 for m in messages if not m.fuzzy and all(_strings(m)))
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        _replace(catalog_path(language, translations).with_suffix(".mo"), buffer.getvalue())
        stats.append((language, translated, len(messages)))
    return stats


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)
