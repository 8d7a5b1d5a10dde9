"""Building welcome data in tests: register extracts as the population service writes them,
and the import driven through the coordinator's pages."""

import io
import re
from datetime import date, timedelta

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.core.clock import today_local

HEADERS = ["Rijksregisternummer", "Voornaam", "Naam", "Straat", "Huisnummer", "Postcode",
           "Datum inschrijving", "Gezinsgrootte", "Geboortedatum", "Nationaliteit", "Taal"]
NATIONAL_NUMBER = "85.07.30-033.61"


def register_csv(rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig",
                 headers: list[str] = HEADERS) -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row(first: str, last: str, street: str = "Ninoofsesteenweg", number: str = "12",
        registered: date | None = None, national: str = NATIONAL_NUMBER, size: str = "2",
        born: str = "1990-05-01", nationality: str = "Syrische", language: str = "Arabisch",
        postcode: str = "1700") -> list[str]:
    registered = registered or today_local() - timedelta(days=10)
    return [national, first, last, street, number, postcode, registered.strftime("%d/%m/%Y"),
            size, born, nationality, language]


def upload(client, content: bytes, name: str = "inschrijvingen.csv",
           path: str = "/welcome/manage/imports"):
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({
        "csrf_token": client.csrf, "file": FileStorage(io.BytesIO(content), name)})
    return client.post(path, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


SELECTS = re.compile(r'<select id="(\w+)-\d+" name="\w+">(.*?)</select>', re.S)
SELECTED = re.compile(r'<option value="([^"]*)"[^>]*selected')


def chosen_mapping(page: str) -> dict[str, list[str]]:
    """The columns the mapping page has chosen, per target."""
    out: dict[str, list[str]] = {}
    for target, options in SELECTS.findall(page):
        out.setdefault(target, []).extend(SELECTED.findall(options))
    return out


def stage(client, content: bytes, name: str = "inschrijvingen.csv", mapping: dict | None = None):
    """Upload and map (as the page proposes, unless ``mapping``): the preview page's answer."""
    response = upload(client, content, name)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    mapping_url = response.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    mapping = mapping if mapping is not None else chosen_mapping(page)
    response = client.post(mapping_url, data={"csrf_token": client.csrf, **mapping})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


def run_import(client, preview_url: str) -> str:
    """Start a staged import and step it to the end as the progress bar does."""
    import_id = preview_url.rstrip("/").rsplit("/", 1)[-1]
    base = f"/welcome/manage/imports/{import_id}"
    assert client.post(f"{base}/start", data={"csrf_token": client.csrf}).status_code == 303
    for _ in range(100):
        fragment = client.post(f"{base}/step", data={"csrf_token": client.csrf},
                               headers={"HX-Request": "true"}).get_data(as_text=True)
        if "hx-trigger" not in fragment:
            return fragment
    raise AssertionError("the import never finished")


def import_rows(client, rows: list[list[str]], **options) -> str:
    return run_import(client, stage(client, register_csv(rows), **options))
