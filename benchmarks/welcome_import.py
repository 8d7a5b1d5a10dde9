"""Import of a 10,000-row register extract through the coordinator's pages: upload, column
mapping (kept from the month before), staging with the per-row checks, then the progress
bar's chunks until done, as a signed-in coordinator through the Flask test client. Each
repetition imports a new file (new people at new addresses), so every row becomes work.

The baseline in the same run reads the same file with the csv module and inserts one row per
household with plain SQLAlchemy Core: the floor under any import."""

import itertools
import re
from datetime import date, timedelta

from sqlalchemy import insert

from . import common

NAME = "welcome"
ROWS = 10_000
GOAL_SECONDS = 10.0
HEADERS = ["Rijksregisternummer", "Voornaam", "Naam", "Straat", "Huisnummer", "Postcode",
           "Datum inschrijving", "Gezinsgrootte", "Geboortedatum", "Nationaliteit", "Taal"]
_runs = itertools.count()


def extract(run: int) -> bytes:
    """A month's list: pairs of people sharing a household, a few rows with problems."""
    day = date.today() - timedelta(days=40)
    lines = [";".join(HEADERS)]
    for i in range(ROWS):
        registered = (day + timedelta(days=i // 2 % 30)).strftime("%d/%m/%Y")
        street = "" if i % 997 == 0 else f"Straat{run} {i // 2 % 211}"
        lines.append(";".join([f"90.01.01-{i:03d}.{run:02d}", f"Voornaam{i}", f"Familie{i // 2}",
                               street, str(i // 2), "1700", registered, "2", "1988-04-02",
                               "Belgische", "nl"]))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _coordinator(app, world: common.World) -> None:
    from server.auth.models import Membership
    from server.extensions import db

    with app.app_context():
        db.session.add(Membership(user_id=world.worker_id, municipality_id=world.municipality_id,
                                  role="coordinator"))
        db.session.commit()


def _import(client, content: bytes) -> int:
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the page's words are read below
    boundary, body = encode_multipart({"csrf_token": client.csrf,
                                       "file": FileStorage(__import__("io").BytesIO(content),
                                                           "inschrijvingen.csv")})
    upload = client.post("/welcome/manage/imports", data=body,
                         content_type=f"multipart/form-data; boundary={boundary}")
    common.check(upload.status_code == 303, f"upload answered {upload.status_code}")
    mapping_url = upload.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    chosen: dict[str, list[str]] = {}
    for target, options in re.findall(r'<select id="(\w+)-\d+" name="\w+">(.*?)</select>', page, re.S):
        chosen.setdefault(target, []).extend(re.findall(r'<option value="([^"]*)"[^>]*selected', options))
    staged = client.post(mapping_url, data={"csrf_token": client.csrf, **chosen})
    common.check(staged.status_code == 303, f"mapping answered {staged.status_code}")
    base = staged.headers["Location"]
    common.check(client.post(f"{base}/start", data={"csrf_token": client.csrf}).status_code == 303,
                 "start refused")
    for _ in range(1000):
        fragment = client.post(f"{base}/step", data={"csrf_token": client.csrf},
                               headers={"HX-Request": "true"}).get_data(as_text=True)
        if "hx-trigger" not in fragment:
            done = re.search(r"Done: (\d+) new households", fragment)
            common.check(done is not None, f"import did not finish: {fragment[:300]}")
            return int(done.group(1))
    raise common.BenchmarkError("the import never finished")


def _baseline(app, world: common.World, content: bytes) -> None:
    import csv
    import io

    from server.core.ids import new_id
    from server.extensions import db
    from server.welcome.models import Household

    rows = list(csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))[1:]
    households = {}
    for r in rows:
        households.setdefault((r[3], r[4], r[6]), r)
    with app.app_context():
        db.session.execute(insert(Household), [
            {"id": new_id(), "municipality_id": world.municipality_id, "household_key": new_id(),
             "names": r[1], "street": r[3], "street_key": r[3].lower(), "house_number": r[4],
             "postcode": r[5], "registered_on": date.today(), "age_bands": [], "languages": [],
             "approach": "visit", "status": "new", "attempts": 0, "agrees_to_contact": False,
             "version": 1} for r in households.values()])
        db.session.commit()


def run_backend(backend: str, repeat: int) -> None:
    with common.database(backend) as url:
        app = common.make_app(url)
        try:
            world = common.build_world(app)
            _coordinator(app, world)
            client = common.sign_in(app, world.worker_email)
            created: list[int] = []
            timing = common.measure(lambda: created.append(_import(client, extract(next(_runs)))),
                                    repeat)
            common.check(all(n == ROWS // 2 for n in created),
                         f"households created per import: {created}, {ROWS // 2} expected")
            baseline = common.measure(lambda: _baseline(app, world, extract(next(_runs))), repeat)
            common.line(f"[{backend}] import of {ROWS:,} rows (pages)", timing,
                        f"   {created[-1]:,} households; goal < {GOAL_SECONDS:.0f} s: "
                        f"{common.verdict(timing.median < GOAL_SECONDS)}")
            common.line(f"[{backend}] baseline: csv + Core insert", baseline)
            common.ratio(f"[{backend}] import / baseline", timing.median / baseline.median)
        finally:
            common.dispose(app)


def run(backends: tuple[str, ...] = common.BACKENDS, repeat: int = 3) -> None:
    common.heading(f"Welcome: import of a {ROWS:,}-row register extract through the pages")
    common.each_backend(backends, run_backend, repeat)
