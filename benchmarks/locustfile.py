"""Field users for the load benchmark (benchmarks/load.py): each signs in once, then browses,
logs contacts through the sync push and pulls every 30 s.

Read from the environment: LOAD_ACCOUNTS (a JSON file: {"accounts": [...], "password": ...,
"people": [...]}) and LOAD_LEDGER (where the mutation ids sent and their answers are written
when the run stops, for load.py to count against the database)."""

import itertools
import json
import os
import random
import re
import time
import uuid
from datetime import UTC, datetime

from locust import HttpUser, between, events, task

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SETUP = json.load(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8"))
ACCOUNTS = itertools.cycle(SETUP["accounts"])
LEDGER: list[dict] = []  # one entry per mutation sent: id, record id, answer status


class FieldUser(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.email = next(ACCOUNTS)
        self.client_id = f"load-{uuid.uuid4()}"
        self.seq, self.cursor, self.pulled_at, self.csrf = 0, None, 0.0, ""
        while not self._sign_in():
            pass
        self.csrf = CSRF_META.search(self.client.get("/", name="GET /").text).group(1)

    def _sign_in(self) -> bool:
        """One attempt; a busy server (503) is waited out as its Retry-After asks, as a
        person would press the button again (reported apart, not as an error)."""
        page = self.client.get("/login", name="GET /login")
        token = CSRF_META.search(page.text).group(1)
        with self.client.post("/login", name="POST /login", allow_redirects=False,
                              data={"email": self.email, "password": SETUP["password"],
                                    "csrf_token": token}, catch_response=True) as answer:
            if answer.status_code == 503:
                answer.request_meta["name"] = "POST /login busy (503, retried)"
                answer.success()
                time.sleep(float(answer.headers.get("Retry-After", 5)))
                return False
            if answer.status_code != 303:  # an error, counted; the person tries again
                answer.failure(f"sign-in answered {answer.status_code}")
                time.sleep(1)
                return False
        return True

    @task(4)
    def browse(self) -> None:
        self.client.get("/", name="GET /")
        self.client.get("/people/", name="GET /people/")
        self.client.get(f"/people/{random.choice(SETUP['people'])}", name="GET /people/<id>")
        self.client.get("/contacts/new", name="GET /contacts/new")
        self._pull_when_due()

    @task(2)
    def log_contacts(self) -> None:
        mutations = [self._contact() for _ in range(random.randint(1, 3))]
        body = {"client_id": self.client_id, "mutations": mutations}
        with self.client.post("/api/v1/sync/push", json=body, name="POST /api/v1/sync/push",
                              headers={"X-CSRFToken": self.csrf}, catch_response=True) as answer:
            results = answer.json().get("results", []) if answer.status_code == 200 else []
            statuses = {r["id"]: r["status"] for r in results}
            for m in mutations:
                LEDGER.append({"id": m["id"], "record_id": m["record_id"],
                               "status": statuses.get(m["id"], f"http {answer.status_code}")})
            if answer.status_code != 200 or len(results) != len(mutations):
                answer.failure(f"push answered {answer.status_code}")
        self._pull_when_due()

    def _contact(self) -> dict:
        self.seq += 1
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        return {"id": str(uuid.uuid4()), "seq": self.seq, "type": "contact.create",
                "record_id": str(uuid.uuid4()), "recorded_at": stamp,
                "fields": {"occurred_at": stamp, "channel": "home_visit",
                           "domains": ["education"], "person_ids": [random.choice(SETUP["people"])],
                           "duration_minutes": 15, "note": "Load benchmark contact.",
                           "note_visibility": "team"}}

    def _pull_when_due(self) -> None:
        if time.monotonic() - self.pulled_at < 30:
            return
        self.pulled_at = time.monotonic()
        query = {"limit": 100, **({"cursor": self.cursor} if self.cursor else {})}
        answer = self.client.get("/api/v1/sync/pull", params=query, name="GET /api/v1/sync/pull")
        if answer.status_code == 200:
            self.cursor = answer.json()["cursor"]


@events.test_stop.add_listener
def write_ledger(**_kwargs) -> None:
    with open(os.environ["LOAD_LEDGER"], "w", encoding="utf-8") as file:
        json.dump(LEDGER, file)
