"""Time zones: fixed offsets (``+01:00``, ``Z``) and named zones from the tz database
(``Europe/Stockholm``, through :mod:`zoneinfo`).

A zone is a :class:`Zone`: an offset in seconds, or a name whose offset depends on the
moment. A local date-time that falls in a gap (the hour skipped when clocks go forward)
moves forward by the gap's length; in an overlap the earlier offset is used, as in
java.time and so in Neo4j.

>>> offset_text(3600), offset_text(0), offset_text(-(2 * 3600 + 5 * 60 + 7))
('+01:00', 'Z', '-02:05:07')
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import CypherArgumentError, CypherTypeError
from .calendar import NANOS_PER_DAY, NANOS_PER_SECOND, civil, epoch_day

_OFFSET = re.compile(r"(?:Z|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)", re.IGNORECASE)
#: the largest offset java.time allows
_MAX_OFFSET = 18 * 3600


@dataclass(frozen=True)
class Zone:
    """A fixed ``offset`` (seconds east of UTC) when ``name`` is None, else a named zone."""

    offset: int = 0
    name: str | None = None


UTC = Zone(0)


def offset_text(seconds: int) -> str:
    """``Z``, ``+HH:MM`` or ``+HH:MM:SS``."""
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def parse_offset(text: str) -> int | None:
    """Seconds of an offset written ``Z``, ``+01``, ``+0100``, ``+01:00`` or ``+01:00:30``;
    None when ``text`` is not an offset."""
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    if match.group(1) is None:
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.group(2, 3, 4))
    if minutes > 59 or seconds > 59:
        raise CypherArgumentError(f"invalid time zone offset {text!r}")
    total = hours * 3600 + minutes * 60 + seconds
    if total > _MAX_OFFSET:
        raise CypherArgumentError(f"invalid time zone offset {text!r} (at most 18 hours)")
    return -total if match.group(1) == "-" else total


@lru_cache(maxsize=256)
def _zoneinfo(name: str):
    import zoneinfo
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise CypherArgumentError(f"unknown time zone {name!r}") from None


def parse_zone(text) -> Zone:
    """A Zone from a ``timezone`` value: an offset or a tz database name."""
    if not isinstance(text, str):
        raise CypherTypeError(f"a time zone must be a string, not {text!r}")
    offset = parse_offset(text)
    if offset is not None:
        return Zone(offset)
    name = text.replace(" ", "_")
    if name.upper() in ("UTC", "GMT", "UT"):
        return Zone(0, name.upper())
    _zoneinfo(name)
    return Zone(0, name)


def _python_datetime(day: int, nanos: int) -> _dt.datetime:
    year, month, d = civil(day)
    if not 1 <= year <= 9999:
        raise CypherArgumentError(f"named time zones are supported for the years 1 to 9999 only (not {year})")
    seconds = nanos // NANOS_PER_SECOND
    return _dt.datetime(year, month, d, seconds // 3600, seconds // 60 % 60, seconds % 60)


def offset_at_instant(zone: Zone, epoch_seconds: int) -> int:
    """The offset of ``zone`` at a moment (seconds since the epoch, UTC)."""
    if zone.name is None:
        return zone.offset
    if zone.name in ("UTC", "GMT", "UT"):
        return 0
    day, second = divmod(epoch_seconds, 86_400)
    moment = _python_datetime(day, second * NANOS_PER_SECOND).replace(tzinfo=_dt.UTC)
    return _offset_seconds(moment.astimezone(_zoneinfo(zone.name)))


def _offset_seconds(moment: _dt.datetime) -> int:
    """The UTC offset of an aware datetime, in seconds."""
    offset = moment.utcoffset()
    assert offset is not None  # aware: it has a tzinfo
    return int(offset.total_seconds())


def resolve_local(zone: Zone, day: int, nanos: int) -> tuple[int, int, int]:
    """(day, nanos, offset) of a local date-time in ``zone``: a time in a gap moves
    forward by the gap's length; in an overlap the earlier offset wins."""
    if zone.name is None:
        return day, nanos, zone.offset
    if zone.name in ("UTC", "GMT", "UT"):
        return day, nanos, 0
    local = _python_datetime(day, nanos).replace(tzinfo=_zoneinfo(zone.name), fold=0)
    offset = _offset_seconds(local)
    instant = (day * NANOS_PER_DAY + nanos) // NANOS_PER_SECOND - offset
    actual = offset_at_instant(zone, instant)
    if actual != offset:  # in a gap: the same instant, read with the offset after it
        total = day * NANOS_PER_DAY + nanos + (actual - offset) * NANOS_PER_SECOND
        day, nanos = divmod(total, NANOS_PER_DAY)
        offset = actual
    return day, nanos, offset


def local_of_instant(zone: Zone, instant_nanos: int) -> tuple[int, int, int]:
    """(day, nanos, offset) of an instant (nanoseconds since the epoch, UTC) in ``zone``."""
    offset = offset_at_instant(zone, instant_nanos // NANOS_PER_SECOND)
    day, nanos = divmod(instant_nanos + offset * NANOS_PER_SECOND, NANOS_PER_DAY)
    return day, nanos, offset


def check_day(day: int) -> int:
    year = civil(day)[0]
    if not -999_999_999 <= year <= 999_999_999:
        raise CypherArgumentError(f"the year {year} is out of the range of temporal values")
    return day


__all__ = ["UTC", "Zone", "check_day", "epoch_day", "local_of_instant", "offset_at_instant", "offset_text",
           "parse_offset", "parse_zone", "resolve_local"]
