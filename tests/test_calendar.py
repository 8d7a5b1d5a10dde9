"""Calendars: the personal feed and a session's .ics, read back with vobject (a parser that
shares nothing with the icalendar library that writes them), whose times come from the
file's own VTIMEZONE: a 10:00 session stays 10:00 across both changes of daylight saving."""

import logging
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject

from server.buddies.operations import starts_at
from server.core.clock import LOCAL_TZ, today_local
from server.extensions import db

from . import buddy_helpers as bh
from . import factories


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _next_change(month: int) -> date:
    today = today_local()
    change = _last_sunday(today.year, month)
    return change if change > today else _last_sunday(today.year + 1, month)


# The Sunday before, of and after the next change to summer time (last Sunday of March) and to
# winter time (last Sunday of October): 10:00 Brussels is 09:00 UTC in winter, 08:00 in summer.
SPRING, AUTUMN = _next_change(3), _next_change(10)
WEEK = timedelta(days=7)
UTC_HOURS = {SPRING - WEEK: 9, SPRING: 8, SPRING + WEEK: 8,
             AUTUMN - WEEK: 8, AUTUMN: 9, AUTUMN + WEEK: 9}
DAYS = [day.isoformat() for day in UTC_HOURS]


@pytest.fixture
def dst_pair(app, world):
    with app.app_context():
        ids = bh.active_pair(world)
        for day in DAYS:
            ids[day] = factories.apply(world.actor("buddy"), "buddy_session.plan", {
                "pair_id": ids["pair"], "day": day, "start_time": "10:00",
                "duration_minutes": 90, "place": "Thuis bij Amina, Kerkstraat 1"})
        db.session.commit()
    return ids


def _feed_address(client) -> str:
    page = client.post("/calendar/renew", data={"csrf_token": client.csrf}).get_data(as_text=True)
    return re.search(r'value="(http://[^"]+/calendar/[^"]+\.ics)"', page).group(1)


def _events(body: str) -> dict:
    parsed = vobject.readOne(body)
    return {event.uid.value: event for event in parsed.vevent_list}


def test_session_ics_keeps_10_00_brussels_across_both_dst_changes(app, dst_pair, login):
    client = login("buddy@a.test")
    for day in DAYS:
        response = client.get(f"/buddies/sessions/{dst_pair[day]}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        body = response.get_data(as_text=True)
        assert "BEGIN:VTIMEZONE" in body
        assert "TZID:Europe/Brussels" in body
        [event] = _events(body).values()
        start = event.dtstart.value
        assert start.tzinfo is not None
        assert start.astimezone(UTC) == datetime.fromisoformat(day).replace(
            hour=UTC_HOURS[date.fromisoformat(day)], tzinfo=UTC)
        assert start.astimezone(LOCAL_TZ).time() == time(10, 0)
        assert (event.dtend.value - start).total_seconds() == 90 * 60
        assert event.location.value.startswith("Thuis")  # the signed-in buddy's own download
        assert event.summary.value == "Buddy session with Amina"


def test_feed_needs_no_cookie_and_shows_no_name_and_no_place(app, dst_pair, login, client):
    address = _feed_address(login("buddy@a.test"))
    path = address.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)  # a calendar app: no session cookie
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    events = _events(body)
    sessions = [e for e in events.values() if e.uid.value.startswith("buddy_session-")]
    assert len(sessions) >= len(DAYS)
    for event in sessions:
        assert event.summary.value == "Buddy session"  # a calendar service reads the feed
        assert not hasattr(event, "location")
    assert "Amina" not in body
    assert "El Idrissi" not in body
    assert "Kerkstraat" not in body
    for day in DAYS:
        event = events[f"buddy_session-{dst_pair[day]}@handvast"]
        assert event.dtstart.value.astimezone(LOCAL_TZ).time() == time(10, 0)


def test_renewing_revokes_the_old_address_and_only_a_digest_is_stored(app, dst_pair, login,
                                                                    client):
    from server.calendar.models import CalendarFeed

    buddy = login("buddy@a.test")
    old = _feed_address(buddy).split("/calendar/")[1]
    new = _feed_address(buddy).split("/calendar/")[1]
    assert old != new
    assert client.get(f"/calendar/{old}").status_code == 404
    assert client.get(f"/calendar/{new}").status_code == 200
    assert client.get("/calendar/not-a-secret-at-all-but-long.ics").status_code == 404
    with app.app_context():
        stored = db.session.scalars(db.select(CalendarFeed.secret_digest)).all()
        assert stored
        assert new.removesuffix(".ics") not in stored


def test_the_feed_secret_never_reaches_the_log(caplog, app):
    from server.logs import redact

    line = '127.0.0.1 - - "GET /calendar/AbC123_secret-token-value-xyz.ics HTTP/1.1" 200 -'
    assert "AbC123" not in redact(line)
    assert redact("GET /calendar/renew") == "GET /calendar/renew"
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info(line)
    assert "AbC123" not in caplog.text


def test_session_ics_is_out_of_reach_of_others(app, dst_pair, login):
    session = dst_pair[DAYS[0]]
    assert login("worker@a.test").get(f"/buddies/sessions/{session}.ics").status_code == 200
    for email in ("officer@a.test", "volunteer@a.test", "worker@b.test", "coordinator@b.test"):
        assert login(email).get(f"/buddies/sessions/{session}.ics").status_code == 404


def test_a_time_lost_to_summer_time_still_lands_on_that_morning():
    moment = starts_at(datetime(2026, 3, 29).date(), "02:30")
    assert moment.astimezone(LOCAL_TZ).date().isoformat() == "2026-03-29"


def test_the_feed_follows_the_role_and_the_account(app, world, dst_pair, login, client):
    from server.auth.models import Membership, User

    address = _feed_address(login("buddy@a.test")).split("/calendar/")[1]
    assert "buddy_session-" in client.get(f"/calendar/{address}").get_data(as_text=True)
    with app.app_context():
        db.session.execute(db.delete(Membership).where(
            Membership.user_id == world.users["buddy"].id))
        db.session.commit()
    assert "buddy_session-" not in client.get(f"/calendar/{address}").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, world.users["buddy"].id).active = False
        db.session.commit()
    assert client.get(f"/calendar/{address}").status_code == 404
