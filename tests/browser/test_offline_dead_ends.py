"""No dead end without signal: every button and form on the pages a phone keeps either saves
through the outbox or says, in the app's words, that it needs a connection, with what was
typed still there — never the browser's error page. Buddy session confirm, pair goals and
"mark as read" save offline and arrive once; a person made offline — on the people page, or
by a welcome visit that refers the household — is offered to log a contact with, and that
contact arrives linked to them.

The server really goes away (field.offline): the service worker's requests fail too."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server.auth.models import User
from server.buddies.models import BuddyPair, BuddySession
from server.contacts.models import Contact, contact_person
from server.core.clock import now
from server.extensions import db
from server.org.models import Municipality
from server.people.models import Person
from server.services.models import Service
from server.signals.models import Signal
from server.sync.models import AppliedMutation
from server.welcome.models import Household

from ..factories import actor_for, apply
from .conftest import ready, sign_in_page, synced

pytestmark = pytest.mark.browser

TYPED = "Getypt zonder signaal"
# The app's own words: "needs a connection", the sync outcome ("No connection: ..."), and the
# sign-out warning while work waits on the phone.
NEEDS_CONNECTION = "[data-needs-connection], [data-sync-outcome]:not(:empty), .logout-warning"

OUTBOX_SIZE = """() => new Promise((resolve) => {
  const opening = indexedDB.open("handvast");
  opening.onsuccess = () => {
    const count = opening.result.transaction("outbox").objectStore("outbox").count();
    count.onsuccess = () => { opening.result.close(); resolve(count.result); };
  };
})"""

# Every kept page and, per page, its forms and lone buttons, each named by what it does (the
# page's path and the form's action with ids as {id}, the button's text): one of each kind
# is pressed, so a caseload of hundreds costs a few dozen presses.
CONTROLS = """async () => {
  const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const cache = await caches.open("handvast-pages-2");
  const seen = new Set();
  const found = [];
  for (const request of await cache.keys()) {
    const url = new URL(request.url).pathname;
    if (["/offline", "/i18n/messages.json", "/working-set.json", "/kept-pages.json"].includes(url)) continue;
    const html = await (await cache.match(request)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const buttons = [...doc.querySelectorAll(
      "main button, main input[type=submit], header button, footer button, header form, footer form")];
    buttons.forEach((node) => {
      const form = node.closest("form") ?? (node.matches("form") ? node : null);
      if (node.matches("form") && form.querySelector("button, input[type=submit]")) return;
      const action = (form?.getAttribute("action") ?? "").replace(id, "{id}");
      const kind = `${url.replace(id, "{id}")} ${action} ${node.textContent.trim()}`;
      if (seen.has(kind)) return;
      seen.add(kind);
      found.push({ url, kind });
    });
  }
  return found;
}"""

# Press the control of this kind on the page as a user would: type in what is empty, choose where a
# choice is required, then press (a form without a button changes its select).
PRESS = """async (kind) => {
  const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const kindOf = (node) => {
    const form = node.closest("form") ?? (node.matches("form") ? node : null);
    const action = (form?.getAttribute("action") ?? "").replace(id, "{id}");
    return `${location.pathname.replace(id, "{id}")} ${action} ${node.textContent.trim()}`;
  };
  const node = [...document.querySelectorAll(
      "main button, main input[type=submit], header button, footer button, header form, footer form")]
    .filter((candidate) => !(candidate.matches("form")
      && candidate.querySelector("button, input[type=submit]")))
    .find((candidate) => kindOf(candidate) === kind);
  if (!node) return null;
  const form = node.closest("form") ?? node;
  // A hidden button is pressed by no one; a form that sends itself is, by its select.
  const bySelect = node.matches("form") || (!node.checkVisibility() && form.matches("[data-autosubmit]"));
  if (!bySelect && !node.checkVisibility()) return null;
  const typed = [];
  const texts = "input[type=text], input[type=search], input:not([type]), textarea";
  for (const input of form.querySelectorAll(texts)) {
    if (input.closest("[hidden]") || input.value) continue;
    input.value = "Getypt zonder signaal";
    typed.push(input.id || input.name);
  }
  for (const input of form.querySelectorAll("input[type=number]")) {
    if (!input.value) input.value = input.min || "1";
  }
  for (const input of form.querySelectorAll("input[type=date]")) if (!input.value) input.value = "2020-01-02";
  const groups = new Set([...form.querySelectorAll("input[type=radio]")].map((radio) => radio.name));
  for (const name of groups) {
    const radios = [...form.querySelectorAll(`input[type=radio][name="${name}"]`)];
    if (!radios.some((radio) => radio.checked)) radios[0].checked = true;
  }
  for (const select of form.querySelectorAll("select[required]")) if (!select.value) select.selectedIndex = 1;
  if (bySelect) {
    const select = form.querySelector("select");
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  } else {
    setTimeout(() => node.click());
  }
  // A button that sends nothing (copy, share, sync now) works on the phone itself.
  return { typed, local: node.matches("button[type=button]") };
}"""

STILL_TYPED = """(names) => names.every((name) => {
  const input = document.getElementById(name) ?? document.querySelector(`[name="${name}"]`);
  return input?.value === "Getypt zonder signaal";
})"""


def _outbox(page) -> int:
    return page.evaluate(OUTBOX_SIZE)


def _press(page, control) -> str:
    page.goto(control["url"])
    page.wait_for_function("() => document.readyState === 'complete'")
    if "−1" in control["kind"]:  # a count never goes below zero: there is a tap to take back
        counter = page.locator(".counter:visible").first
        if counter.count():
            counter.locator(".tap-plus").click()
            expect(counter.locator("[data-tally-value]")).not_to_have_text("0")
    before = _outbox(page)
    pressed = page.evaluate(PRESS, control["kind"])
    if pressed is None:
        return "hidden"
    typed = pressed["typed"]
    for _ in range(40):
        page.wait_for_timeout(250)
        assert not page.url.startswith("chrome-error:"), control["kind"]
        if page.locator(NEEDS_CONNECTION).count():
            expect(page.locator(NEEDS_CONNECTION).first).to_be_visible()
            assert page.evaluate(STILL_TYPED, typed), f"typed input lost: {control['kind']}"
            return "needs a connection"
        if _outbox(page) > before:
            return "outbox"
        if pressed["local"]:
            return "on the phone"
    pytest.fail(f"neither saved on the phone nor said it needs a connection: {control['kind']}")


@pytest.mark.parametrize("email", ["worker@example.org", "buddy@example.org",
                                   "officer@example.org", "coordinator@example.org",
                                   "volunteer@example.org"])
def test_every_button_on_every_kept_page_saves_or_says_it_needs_a_connection(field, demo,
                                                                              email):
    page = field.phone().new_page()
    sign_in_page(page, email, demo["password"])
    ready(page)
    controls = page.evaluate(CONTROLS)
    assert controls
    field.offline()
    outcomes = {control["kind"]: _press(page, control) for control in controls}
    assert "outbox" in outcomes.values() or email == "coordinator@example.org", outcomes
    assert "needs a connection" in outcomes.values(), outcomes


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def buddy_work(app, demo):
    """The demo buddy's active pair with a goal not reached and a planned session to come."""
    with app.app_context():
        buddy = db.session.scalar(select(User.id).where(User.email == "buddy@example.org"))
        pair = db.session.scalar(select(BuddyPair).where(BuddyPair.buddy_id == buddy,
                                                         BuddyPair.status == "active"))
        session = db.session.scalar(select(BuddySession.id).where(
            BuddySession.pair_id == pair.id, BuddySession.status == "planned",
            BuddySession.starts_at > now()))
        goal = next(goal for goal in pair.goals if goal not in pair.goals_reached)
        return {"pair": pair.id, "pair_version": pair.version, "session": session,
                "goal": goal, "reached": list(pair.goals_reached)}


def test_buddy_confirms_a_session_and_ticks_a_goal_offline_each_arrives_once(app, field, demo,
                                                                              buddy_work):
    page = field.phone().new_page()
    sign_in_page(page, "buddy@example.org", demo["password"])
    ready(page)
    before = {kind: _count(app, AppliedMutation, AppliedMutation.type == kind)
              for kind in ("buddy_session.confirm", "buddy_pair.goals")}
    field.offline()
    page.goto(f"/buddies/sessions/{buddy_work['session']}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("form[action$='/confirm'] [data-save-status]")).to_have_text(
        "Saved on this phone — will sync")
    page.goto(f"/buddies/pairs/{buddy_work['pair']}")
    page.locator(f"input[name=goals_reached][value={buddy_work['goal']}]").check()
    page.get_by_role("button", name="Save goals").click()
    expect(page.locator("form[action$='/goals'] [data-save-status]")).to_have_text(
        "Saved on this phone — will sync")
    expect(page.locator("[data-sync-status]")).to_have_text("2 waiting")
    field.online()
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    synced(page)  # a second round sends nothing again
    with app.app_context():
        session = db.session.get(BuddySession, buddy_work["session"])
        pair = db.session.get(BuddyPair, buddy_work["pair"])
        assert session.status == "confirmed"
        assert sorted(pair.goals_reached) == sorted([*buddy_work["reached"], buddy_work["goal"]])
        assert pair.version == buddy_work["pair_version"] + 1
    for kind, count in before.items():
        assert _count(app, AppliedMutation, AppliedMutation.type == kind) == count + 1


def test_news_on_a_signal_marked_read_offline_arrives_once(app, field, demo):
    with app.app_context():
        dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
        users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(
            ["volunteer@example.org", "worker@example.org"])))}
        raised = apply(actor_for(users["volunteer@example.org"], dilbeek), "signal.create", {
            "theme": "housing_environment", "urgency": "high",
            "description": "Schimmel in de benedenwoning"})
        apply(actor_for(users["worker@example.org"], dilbeek), "signal.triage",
              {"status": "acknowledged"}, record_id=raised, base_version=1)
        db.session.commit()
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    page.goto("/")
    mark = page.locator(f".updates form[action='/signals/{raised}/seen']")
    mark.get_by_role("button", name="Mark as read").click()
    expect(mark.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")
    with app.app_context():  # a step after the press stays news
        worker = db.session.scalar(select(User).where(User.email == "worker@example.org"))
        dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
        apply(actor_for(worker, dilbeek), "signal.triage",
              {"status": "resolved"}, record_id=raised, base_version=2)
        db.session.commit()
    field.online()
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    synced(page)
    with app.app_context():
        signal = db.session.get(Signal, raised)
        assert (signal.reporter_seen, signal.version) == (2, 3)
    assert _count(app, AppliedMutation, AppliedMutation.type == "signal.seen") == 1


def _contact_with_offline(app, field, page, name: str, note: str) -> list[str]:
    """Still offline: a contact logged with the person the picker offers as ``name``; then the
    server back and the round done. Returns the people the contact arrived linked to."""
    page.goto("/contacts/new")
    page.get_by_label("Street").check()
    page.locator("[data-person-picker] label.choice", has_text=name).locator("input").check()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")
    field.online()
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    synced(page)
    with app.app_context():
        return list(db.session.scalars(select(contact_person.c.person_id).join(
            Contact, Contact.id == contact_person.c.contact_id).where(Contact.note == note)))


def test_person_made_offline_is_offered_to_log_a_contact_with_and_it_arrives_linked(
        app, field, demo):
    name = "Oksana Offline"
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    page.goto("/people/new")
    page.get_by_label("Name or nickname").fill(name)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone — will sync")
    linked = _contact_with_offline(app, field, page, name, "Eerste kennismaking, offline")
    with app.app_context():
        [person] = db.session.scalars(select(Person.id).where(Person.display_name == name))
    assert linked == [person]


def test_person_made_by_a_welcome_visit_offline_is_offered_and_the_contact_arrives_linked(
        app, field, demo):
    """At the door, without signal: the household is welcomed and referred, which makes a
    person of it; the volunteer logs the first contact with that person straight away."""
    with app.app_context():
        volunteer = db.session.scalar(select(User.id).where(User.email == "volunteer@example.org"))
        household = db.session.scalars(select(Household).where(
            Household.assigned_user_id == volunteer, Household.status == "new",
            Household.person_id.is_(None)).order_by(Household.target_on)).first()
        service = db.session.scalars(select(Service).where(
            Service.municipality_id == household.municipality_id)).first().names["en"]
        names, household_id = household.names, household.id
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    page.goto(f"/welcome/households/{household_id}")
    field.offline()
    page.goto(f"/welcome/households/{household_id}")
    page.get_by_role("link", name="Log visit").click()
    page.get_by_label("Welcomed", exact=True).check()
    page.get_by_label("Agrees to be contacted again").check()
    page.get_by_label("Refer to a service").select_option(label=service)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone — will sync")
    linked = _contact_with_offline(app, field, page, names, "Na het welkomstbezoek, offline")
    with app.app_context():
        person = db.session.get(Household, household_id).person_id
    assert person is not None
    assert linked == [person]
