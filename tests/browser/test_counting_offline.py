"""Counting in the field without signal: two hosts tap on two phones and the server adds up;
an outreach round from start to end offline syncs once; the pages at 360 px.

The server really goes away (SwitchableServer.down): the service worker's requests fail as
well as the page's."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.gatherings.models import Gathering
from server.outreach.models import OutreachRound
from server.signals.models import Signal

from .conftest import screenshot, signed_in, synced

pytestmark = pytest.mark.browser


def _coming_buurtbabbel(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Gathering.id).where(
            Gathering.title == "Buurtbabbel in de wijk"))


def _new_after_going_online(app, field, page, model, before: set[str]) -> set[str]:
    """Nothing reaches the server while offline; online, two sync rounds: the ids of the
    records that arrived (the second round sends nothing again)."""
    with app.app_context():
        assert set(db.session.scalars(select(model.id))) == before
    field.online()
    synced(page)
    synced(page)
    with app.app_context():
        return set(db.session.scalars(select(model.id))) - before


def _tap(page, name: str, times: int) -> None:
    button = page.get_by_role("button", name=name)
    for _ in range(times):
        button.click()


@pytest.mark.parametrize("first", ["officer", "worker"])
def test_two_phones_count_one_gathering_offline_and_the_server_adds_up(app, field, demo,  # noqa: F811
                                                                       first):
    gathering = _coming_buurtbabbel(app)
    phones = {who: signed_in(field, demo, f"{who}@example.org") for who in ("officer", "worker")}
    for page in phones.values():
        page.goto(f"/gatherings/{gathering}/count")
        expect(page.locator("[data-counter=residents] [data-tally-value]")).to_have_text("0")
    field.offline()
    _tap(phones["officer"], "Residents plus one", 7)
    _tap(phones["worker"], "Residents plus one", 5)
    _tap(phones["worker"], "Children plus one", 2)
    _tap(phones["worker"], "Children minus one", 1)
    officer_value = phones["officer"].locator("[data-counter=residents] [data-tally-value]")
    expect(officer_value).to_have_text("7")
    expect(phones["worker"].locator("[data-counter=residents] [data-tally-value]")).to_have_text("5")
    expect(phones["worker"].locator("[data-counter=children] [data-tally-value]")).to_have_text("1")
    phones["officer"].reload()  # still no signal: the phone's copy of the page, plus its taps
    expect(officer_value).to_have_text("7")
    expect(phones["officer"].locator("[data-tally-pending]")).to_have_text("7 taps not yet synced")
    screenshot(phones["officer"], "gathering-count-offline-360")
    second = "worker" if first == "officer" else "officer"
    phones[second].context.set_offline(True)
    field.online()
    phones[second].context.set_offline(True)
    synced(phones[first])
    phones[second].context.set_offline(False)
    synced(phones[second])
    with app.app_context():
        counted = db.session.get(Gathering, gathering)
        assert (counted.residents, counted.children) == (12, 1)
    synced(phones[first])  # a second round sends nothing again
    with app.app_context():
        assert db.session.get(Gathering, gathering).residents == 12
    for page in phones.values():
        expect(page.locator("[data-counter=residents] [data-tally-value]")).to_have_text("12")
        expect(page.locator("[data-tally-pending]")).to_have_text("")


def test_a_gathering_planned_without_signal_is_counted_at_once_and_syncs_before_its_taps(
        app, field, demo):  # noqa: F811
    page = signed_in(field, demo, "volunteer@example.org")
    with app.app_context():
        before = set(db.session.scalars(select(Gathering.id)))
    field.offline()
    page.goto("/gatherings/new")
    page.get_by_label("Praatcafé (Dutch conversation café)").check()
    page.get_by_label("Place").fill("Parkje aan de kerk")
    page.get_by_role("button", name="Save").click()
    status = page.locator("[data-save-status]")
    expect(status).to_contain_text("Saved on this phone — will sync")
    status.get_by_role("link", name="Count attendance").click()
    page.wait_for_url("**/gatherings/*/count")
    gathering = page.url.split("/gatherings/")[1].split("/")[0]
    expect(page.get_by_role("heading", level=1)).to_have_text("Praatcafé (Dutch conversation café)")
    expect(page.locator("[data-tally-when]")).to_contain_text("Parkje aan de kerk")
    _tap(page, "Residents plus one", 3)
    _tap(page, "Newcomers plus one", 2)
    page.get_by_role("button", name="Arabic").click()
    page.reload()  # still no signal: the phone's page for it, its taps from the outbox
    expect(page.locator("[data-counter=residents] [data-tally-value]")).to_have_text("3")
    expect(page.locator("[data-counter=newcomers] [data-tally-value]")).to_have_text("2")
    expect(page.locator("[data-tally-pending]")).to_have_text("5 taps not yet synced")
    expect(page.get_by_role("button", name="Arabic")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "gathering-planned-offline-count-360")
    assert _new_after_going_online(app, field, page, Gathering, before) == {gathering}
    with app.app_context():
        counted = db.session.get(Gathering, gathering)
        assert (counted.kind, counted.place) == ("praatcafe", "Parkje aan de kerk")
        assert (counted.residents, counted.newcomers, counted.children) == (3, 2, 0)
        assert counted.languages_heard == ["ar"]
    page.goto(f"/gatherings/{gathering}/count")  # the server's own page now
    expect(page.locator("[data-counter=residents] [data-tally-value]")).to_have_text("3")
    expect(page.locator("[data-planned-on-phone]")).to_have_count(0)


def test_round_recorded_entirely_offline_syncs_once(app, field, demo):  # noqa: F811
    page = signed_in(field, demo, "volunteer@example.org")
    with app.app_context():
        before = set(db.session.scalars(select(OutreachRound.id)))
    field.offline()
    page.goto("/outreach/round")
    page.get_by_role("button", name="Start the round").click()
    expect(page.locator("[data-place-error]")).to_be_visible()  # where is asked first
    page.get_by_label("Where").fill("Stationsplein")
    page.get_by_label("Door to door").check()
    page.get_by_role("button", name="Start the round").click()
    expect(page.locator("[data-round-place]")).to_have_text("Stationsplein")
    _tap(page, "People reached plus one", 3)
    _tap(page, "Conversations plus one", 2)
    _tap(page, "Flyers handed out plus one", 4)
    _tap(page, "Flyers handed out minus one", 1)
    expect(page.locator("[data-counter=flyers] [data-tally-value]")).to_have_text("3")
    page.reload()  # mid-round, still without signal
    expect(page.locator("[data-round-place]")).to_have_text("Stationsplein")
    for counter, value in (("reached", "3"), ("conversations", "2"), ("flyers", "3"),
                           ("referrals", "0")):
        expect(page.locator(f"[data-counter={counter}] [data-tally-value]")).to_have_text(value)
    _tap(page, "Referrals made plus one", 1)
    page.locator("[data-round-topic-form] select").select_option("housing_environment")
    page.locator("[data-round-topic-form] input[name=text]").fill("Te dure huurwoningen")
    page.get_by_role("button", name="Note the topic").click()
    expect(page.locator("[data-round-topic-status]")).to_have_text("Saved on this phone — will sync")
    screenshot(page, "outreach-round-offline-360")
    page.get_by_role("button", name="End the round").click()
    expect(page.locator("[data-round-summary]")).to_contain_text("People reached: 3")
    expect(page.get_by_role("button", name="Start the round")).to_be_visible()
    [walked_id] = _new_after_going_online(app, field, page, OutreachRound, before)
    with app.app_context():
        walked = db.session.get(OutreachRound, walked_id)
        assert (walked.place, walked.kind) == ("Stationsplein", "door_to_door")
        assert (walked.reached, walked.conversations, walked.flyers, walked.referrals) == (
            3, 2, 3, 1)
        assert walked.ended_at is not None
        assert [(t.domain, t.text) for t in walked.topics] == [
            ("housing_environment", "Te dure huurwoningen")]
    page.reload()
    expect(page.get_by_role("button", name="Start the round")).to_be_visible()


def test_calendar_and_signal_pages_at_360(app, field, demo):  # noqa: F811
    page = signed_in(field, demo, "officer@example.org")
    page.goto("/")
    expect(page.locator("#signal-updates-heading")).to_have_text("News on your signals")
    page.goto("/gatherings/")
    expect(page.locator(".calendar").first).to_contain_text("Buurtbabbel in de wijk")
    screenshot(page, "gatherings-calendar-360")
    with app.app_context():
        mine = db.session.scalar(select(Signal.id).where(Signal.theme == "safety"))
    page.goto(f"/signals/{mine}")
    expect(page.locator("[aria-current=step]")).to_have_text("Acknowledged")
    screenshot(page, "signal-officer-360")
    page.goto("/signals/new")
    page.get_by_label("Theme").select_option("housing_environment")
    page.get_by_label("What did you see?").fill("Sluikstort achter de sporthal.")
    field.offline()
    page.get_by_role("button", name="Raise the signal").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")
    field.online()
    synced(page)
    with app.app_context():
        assert db.session.scalar(select(Signal.status).where(
            Signal.description == "Sluikstort achter de sporthal.")) == "new"


def test_a_topic_raised_becomes_a_signal_or_a_follow_up_in_one_tap(app, field, demo):  # noqa: F811
    from server.contacts.models import Contact

    with app.app_context():
        babbel = db.session.scalar(select(Gathering.id).where(
            Gathering.title == "Buurtbabbel aan het plein"))
    page = signed_in(field, demo, "worker@example.org")
    page.goto(f"/gatherings/{babbel}")
    topics = page.locator(".topics .topic")
    expect(topics).to_have_count(2)
    expect(page.locator(".facts")).to_contain_text("Residents: 14")
    screenshot(page, "gathering-show-360")
    topics.nth(1).get_by_role("button", name="Make a signal").click()
    page.wait_for_url("**/signals/*")
    expect(page.locator(".facts")).to_contain_text("Onveilige oversteekplaats aan de school")
    expect(page.locator("[aria-current=step]")).to_have_text("New")
    page.goto(f"/gatherings/{babbel}")
    first = page.locator(".topics .topic").first
    first.get_by_label("For whom").select_option(label="Amina El Idrissi")
    first.get_by_role("button", name="Follow up").click()
    page.wait_for_url("**/contacts/*")
    expect(page.locator("h1")).to_have_text("Other")
    with app.app_context():
        signal = db.session.scalar(select(Signal).where(Signal.gathering_id == babbel))
        assert (signal.theme, signal.description) == ("safety", "Onveilige oversteekplaats aan de school")
        contact = db.session.scalar(select(Contact).where(Contact.note.like("%Sluikstort%")))
        assert [p.display_name for p in contact.people] == ["Amina El Idrissi"]
        assert contact.follow_up_on is not None
        assert contact.domains == ["housing_environment"]
    page.goto(f"/gatherings/{babbel}/invitation")
    expect(page.locator("[data-invitation-text=nl]")).to_be_visible()
    expect(page.locator("[data-invitation-text=uk]")).to_be_hidden()
    page.get_by_label("Українська").check()
    expect(page.locator("[data-invitation-text=uk]")).to_be_visible()
    expect(page.locator("[data-invitation-text=ar]")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    screenshot(page, "gathering-invitation-360")


def test_taps_sent_but_not_yet_pulled_still_count_on_the_page(app, field, demo):  # noqa: F811
    """The push went through, the pull did not (the signal dropped in between): the page
    still shows every tap, also after a reload without signal."""
    gathering = _coming_buurtbabbel(app)
    page = signed_in(field, demo, "officer@example.org")
    page.goto(f"/gatherings/{gathering}/count")
    value = page.locator("[data-counter=newcomers] [data-tally-value]")
    expect(value).to_have_text("0")
    page.context.route("**/api/v1/sync/pull*", lambda route: route.abort())
    _tap(page, "Newcomers plus one", 3)
    expect(page.locator("[data-tally-pending]")).to_have_text("", timeout=20_000)  # pushed
    with app.app_context():
        assert db.session.get(Gathering, gathering).newcomers == 3
    expect(value).to_have_text("3")
    field.offline()
    page.reload()
    expect(value).to_have_text("3")
    page.context.unroute("**/api/v1/sync/pull*")
    field.online()
    synced(page)
    expect(value).to_have_text("3")
    assert page.evaluate("""async () => {
        const db = await new Promise((ok) => {
            const open = indexedDB.open('handvast');
            open.onsuccess = () => ok(open.result);
        });
        return new Promise((ok) => {
            const get = db.transaction('meta').objectStore('meta').get('applied_increments');
            get.onsuccess = () => ok(get.result);
        });
    }""") == []  # the pull brought them: nothing is remembered twice
