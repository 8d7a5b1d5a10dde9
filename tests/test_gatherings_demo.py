"""The demo holds the field's voice: past and coming gatherings with their numbers, rounds,
signals at every status; and every page of them renders for the roles that use them."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.gatherings.models import Gathering
from server.outreach.models import OutreachRound
from server.signals.models import Signal

from .conftest import csrf_token, sign_in


def _client(app, email):
    client = app.test_client()
    assert sign_in(client, email, "handvast-demo").status_code == 303
    client.csrf = csrf_token(client, "/")
    return client


def test_demo_holds_gatherings_rounds_and_signals_at_every_status(app, demo):
    with app.app_context():
        kinds = set(db.session.scalars(select(Gathering.kind)))
        assert {"buurtbabbel", "praatcafe", "certificate_party"} <= kinds
        assert db.session.scalar(select(func.sum(Gathering.residents))) > 0
        assert set(db.session.scalars(select(Signal.status))) == {
            "new", "acknowledged", "forwarded", "resolved"}
        assert db.session.scalar(select(func.count()).select_from(OutreachRound)) >= 1


@pytest.mark.parametrize("email", ["officer@example.org", "volunteer@example.org",
                                   "worker@example.org", "coordinator@example.org"])
def test_every_page_of_the_field_renders(app, demo, email):
    client = _client(app, email)
    home = client.get("/").get_data(as_text=True)
    if email.startswith("officer"):
        assert "News on your signals" in home
    with app.app_context():
        gatherings = list(db.session.scalars(select(Gathering.id)))
        rounds = list(db.session.scalars(select(OutreachRound.id)))
        signals = list(db.session.scalars(select(Signal.id)))
    pages = ["/gatherings/", "/gatherings/new", "/outreach/", "/outreach/round", "/signals/",
             "/signals/new", "/signals/?status=new&age=week", "/more"]
    pages += [f"/gatherings/{i}{tail}" for i in gatherings
              for tail in ("", "/count", "/invitation", "/edit")]
    pages += [f"/outreach/{i}" for i in rounds] + [f"/signals/{i}" for i in signals]
    answers = {path: client.get(path).status_code for path in pages}
    assert set(answers.values()) <= {200, 404}, answers
    assert answers["/gatherings/"] == answers["/signals/"] == 200
