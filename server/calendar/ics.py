"""iCalendar files: times in Europe/Brussels with its VTIMEZONE written out as the two yearly
rules (last Sunday of March and of October), the form phone calendars read best."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as IcsEvent

from ..core.clock import LOCAL_TZ, now
from .events import Event

TZID = "Europe/Brussels"


def brussels() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TZID)
    for part, name, start, before, after, month in (
            (TimezoneDaylight(), "CEST", datetime(1970, 3, 29, 2, 0), 1, 2, 3),
            (TimezoneStandard(), "CET", datetime(1970, 10, 25, 3, 0), 2, 1, 10)):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def calendar(events: list[Event], *, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//handvast//calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(brussels())
    stamp = now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        item = IcsEvent()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at.astimezone(LOCAL_TZ))
        item.add("dtend", event.ends_at.astimezone(LOCAL_TZ))
        item.add("summary", event.summary)
        if event.location:
            item.add("location", event.location)
        if event.url:
            item.add("url", base_url + event.url)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        cal.add_component(item)
    return cal.to_ical()
