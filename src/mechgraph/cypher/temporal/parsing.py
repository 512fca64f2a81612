"""Temporal values from ISO 8601 text, in the forms Cypher accepts.

Dates: ``2015-07-21``, ``20150721``, ``2015-07``, ``2015``, week dates ``2015-W30-2``
(``2015W302``), ordinal dates ``2015-202`` (``2015202``); years beyond 9999 carry a sign
(``+10000-01-01``). Times: ``21:40:32.142``, ``214032.142``, ``21:40``, ``21``, with an
offset (``Z``, ``+01``, ``+0100``, ``+01:00``) and, for date-times, a zone name in
brackets (``+01:00[Europe/Stockholm]``). Durations: ``P1Y2M3W4DT5H6M7.5S`` (any unit
may be fractional when it is the last one) or ``P0001-02-03T04:05:06``.

>>> str(parse_date("2015-W30-2")), str(parse_duration("P5M1.5D"))
('2015-07-21', 'P5M1DT12H')
"""

from __future__ import annotations

import re

from ..errors import CypherArgumentError, CypherError
from .calendar import (NANOS_PER_SECOND, epoch_day, month_length, quarter_start, week_year_start, weeks_in)
from .values import Date, DateTime, Duration, LocalDateTime, LocalTime, Time
from .zones import UTC, Zone, parse_offset, parse_zone, resolve_local

_YEAR = r"(?P<year>\d{4}|[+-]\d{1,9})"
_DATE = re.compile(
    _YEAR + r"(?:"
    r"-(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|-?W(?P<week>\d{2})(?:-?(?P<dow>\d))?"
    r"|-?Q(?P<quarter>\d)(?:-(?P<doq>\d{2}))?"
    r"|-(?P<ordinal>\d{3})"
    r"|(?P<month2>\d{2})(?P<day2>\d{2})?"
    r"|(?P<ordinal2>\d{3})"
    r")?", re.IGNORECASE)
_TIME = re.compile(
    r"(?P<hour>\d{2})(?:(?P<colon>:?)(?P<minute>\d{2})(?:(?P=colon)(?P<second>\d{2})"
    r"(?:[.,](?P<fraction>\d{1,9}))?)?)?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?"
    r"(?:\[(?P<zone>[^\]]+)\])?", re.IGNORECASE)


def _fail(kind: str, text: str) -> CypherError:
    return CypherArgumentError(f"cannot read {text!r} as a {kind}")


def _in_range(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise CypherArgumentError(f"invalid value for {what}: {value} (expected {low} to {high})")
    return value


def date_from_fields(year: int, month: int = 1, day: int = 1) -> int:
    _in_range(year, -999_999_999, 999_999_999, "year")
    _in_range(month, 1, 12, "month")
    _in_range(day, 1, month_length(year, month), "day")
    return epoch_day(year, month, day)


def date_from_week(week_year: int, week: int, dow: int = 1) -> int:
    _in_range(week, 1, weeks_in(week_year), "week")
    _in_range(dow, 1, 7, "dayOfWeek")
    return week_year_start(week_year) + (week - 1) * 7 + dow - 1


def date_from_ordinal(year: int, ordinal: int) -> int:
    _in_range(ordinal, 1, 366 if month_length(year, 2) == 29 else 365, "ordinalDay")
    return quarter_start(year, 1) + ordinal - 1


def date_from_quarter(year: int, quarter: int, day_of_quarter: int = 1) -> int:
    _in_range(quarter, 1, 4, "quarter")
    start = quarter_start(year, quarter)
    end = quarter_start(year + 1, 1) if quarter == 4 else quarter_start(year, quarter + 1)
    _in_range(day_of_quarter, 1, end - start, "dayOfQuarter")
    return start + day_of_quarter - 1


def _date_day(text: str) -> int:
    match = _DATE.fullmatch(text)
    if match is None:
        raise _fail("date", text)
    g = match.groupdict()
    year = int(g["year"])
    if g["week"]:
        return date_from_week(year, int(g["week"]), int(g["dow"] or 1))
    if g["quarter"]:
        return date_from_quarter(year, int(g["quarter"]), int(g["doq"] or 1))
    if g["ordinal"] or g["ordinal2"]:
        return date_from_ordinal(year, int(g["ordinal"] or g["ordinal2"]))
    month = g["month"] or g["month2"]
    day = g["day"] or g["day2"]
    return date_from_fields(year, int(month or 1), int(day or 1))


def _time_parts(text: str, kind: str) -> tuple[int, int | None, str | None]:
    """(nanos of day, offset seconds or None, zone name or None)."""
    match = _TIME.fullmatch(text)
    if match is None:
        raise _fail(kind, text)
    g = match.groupdict()
    hour = _in_range(int(g["hour"]), 0, 23, "hour")
    minute = _in_range(int(g["minute"] or 0), 0, 59, "minute")
    second = _in_range(int(g["second"] or 0), 0, 59, "second")
    fraction = int((g["fraction"] or "").ljust(9, "0") or 0)
    nanos = ((hour * 60 + minute) * 60 + second) * NANOS_PER_SECOND + fraction
    offset = parse_offset(g["offset"]) if g["offset"] else None
    return nanos, offset, g["zone"]


def _split(text: str, kind: str) -> tuple[str, str | None]:
    if not isinstance(text, str):
        raise _fail(kind, str(text))
    text = text.strip()
    date, sep, time = text.partition("T") if "T" in text else text.partition("t")
    return date, (time if sep else None)


def parse_date(text: str) -> Date:
    date, time = _split(text, "date")
    if time is not None:
        raise _fail("date", text)
    return Date(_date_day(date))


def parse_local_time(text: str) -> LocalTime:
    nanos, offset, zone = _time_parts(text.strip(), "local time")
    if offset is not None or zone is not None:
        raise _fail("local time", text)
    return LocalTime(nanos)


def parse_time(text: str, default: Zone = UTC) -> Time:
    nanos, offset, zone = _time_parts(text.strip(), "time")
    if zone is not None:
        raise _fail("time", text)
    return Time(nanos, default.offset if offset is None else offset)


def parse_local_datetime(text: str) -> LocalDateTime:
    date, time = _split(text, "local date time")
    nanos = 0
    if time is not None:
        nanos, offset, zone = _time_parts(time, "local date time")
        if offset is not None or zone is not None:
            raise _fail("local date time", text)
    return LocalDateTime(_date_day(date), nanos)


def parse_datetime(text: str, default: Zone = UTC) -> DateTime:
    date, time = _split(text, "date time")
    nanos, offset, name = 0, None, None
    if time is not None:
        nanos, offset, name = _time_parts(time, "date time")
    day = _date_day(date)
    if name is not None:
        zone = parse_zone(name)
        resolved = resolve_local(zone, day, nanos)
        if offset is not None and resolved[2] != offset:
            raise CypherArgumentError(f"the offset and the time zone of {text!r} do not match")
        return DateTime(*resolved, zone.name)
    if offset is not None:
        return DateTime(day, nanos, offset)
    resolved = resolve_local(default, day, nanos)
    return DateTime(*resolved, default.name)


# -- durations ----------------------------------------------------------------------------

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_UNITS = re.compile(
    rf"(?P<sign>[-+]?)P(?:(?P<Y>{_NUMBER})Y)?(?:(?P<M>{_NUMBER})M)?(?:(?P<W>{_NUMBER})W)?(?:(?P<D>{_NUMBER})D)?"
    rf"(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?", re.IGNORECASE)
_DATE_BASED = re.compile(
    r"(?P<sign>[-+]?)P(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):?(?P<minute>\d{2}):?(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?", re.IGNORECASE)
#: each unit of the unit-based form: (group, how many of its base unit, base unit index)
_UNIT_SCALE = (("Y", 12, 0), ("M", 1, 0), ("W", 7, 1), ("D", 1, 1), ("h", 3600, 2), ("m", 60, 2), ("s", 1, 2))


def approximate(months: float, days: float, seconds: float, nanos: float) -> Duration:
    """A Duration from fractional amounts: each unit's fraction spills into the next
    smaller one (a month as 30.436875 days), as Neo4j computes it (in doubles)."""
    if isinstance(months, int) and isinstance(days, int) and isinstance(seconds, int) and isinstance(nanos, int):
        return Duration(months, days, seconds, nanos)
    m = int(months)
    days = days + 30.436875 * (months - m)
    d = int(days)
    seconds = seconds + 86_400 * (days - d)
    s = int(seconds)
    nanos = nanos + NANOS_PER_SECOND * (seconds - s)
    return Duration(m, d, s, int(nanos))


def _amount(text: str) -> int | float:
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


def parse_duration(text: str) -> Duration:
    if not isinstance(text, str):
        raise _fail("duration", str(text))
    text = text.strip()
    match = _DATE_BASED.fullmatch(text)
    if match is not None:
        g = match.groupdict()
        sign = -1 if g["sign"] == "-" else 1
        months = _in_range(int(g["month"]), 0, 12, "months") + 12 * int(g["year"])
        days = _in_range(int(g["day"]), 0, 31, "days")
        seconds = (int(g["hour"] or 0) * 60 + int(g["minute"] or 0)) * 60 + int(g["second"] or 0)
        nanos = int((g["fraction"] or "").ljust(9, "0") or 0)
        return Duration(sign * months, sign * days, sign * seconds, sign * nanos)
    match = _UNITS.fullmatch(text)
    if match is None or not any(match.group(u) for u, _, _ in _UNIT_SCALE) or text.upper().endswith("T"):
        raise _fail("duration", text)
    sign = -1 if match.group("sign") == "-" else 1
    amounts: list[int | float] = [0, 0, 0, 0]
    fractional = False
    for unit, scale, base in _UNIT_SCALE:
        raw = match.group(unit)
        if raw is None:
            continue
        if fractional:
            raise _fail("duration", text)  # only the smallest unit given may have a fraction
        if unit == "s" and ("." in raw or "," in raw):
            whole, _, fraction = raw.replace(",", ".").partition(".")
            if len(fraction) > 9:
                raise _fail("duration", text)
            nanos = int(fraction.ljust(9, "0"))
            amounts[2] += int(whole)
            amounts[3] += -nanos if whole.startswith("-") else nanos
            continue
        value = _amount(raw)
        fractional = isinstance(value, float)
        amounts[base] += value * scale
    return approximate(*(sign * a for a in amounts))


__all__ = ["approximate", "date_from_fields", "date_from_ordinal", "date_from_quarter", "date_from_week",
           "parse_date", "parse_datetime", "parse_duration", "parse_local_datetime", "parse_local_time",
           "parse_time"]
