"""Temporal values from maps of fields, from other temporal values, and by truncation.

``date({year: 1984, week: 10, dayOfWeek: 3})``, ``datetime({date: d, time: t,
timezone: 'Europe/Stockholm'})``, ``localtime({time: dt, second: 42})``: fields given
override those of a base value (``date``, ``time`` or ``datetime`` key); a date is given
by calendar (year, month, day), week (year, week, dayOfWeek), ordinal (year,
ordinalDay) or quarter (year, quarter, dayOfQuarter) fields. A ``timezone`` converts a
base value that has a zone (same instant) and is attached to one that has none.
``X.truncate(unit, value, fields)`` cuts a value down to the start of ``unit`` and then
applies the fields (a ``timezone`` there replaces the zone, keeping the local time).

>>> str(build("date", {"year": 1984, "quarter": 3, "dayOfQuarter": 45}))
'1984-08-14'
>>> str(truncate("localdatetime", "week", build("date", {"year": 1984, "month": 10, "day": 11}), {"dayOfWeek": 2}))
'1984-10-09T00:00'
"""

from __future__ import annotations

from ..errors import CypherArgumentError, CypherTypeError
from .calendar import NANOS_PER_DAY, NANOS_PER_SECOND, civil, iso_week, quarter_start, week_year_start, weekday
from .parsing import date_from_fields, date_from_ordinal, date_from_quarter, date_from_week
from .values import Date, DateTime, LocalDateTime, LocalTime, Temporal, Time
from .zones import UTC, Zone, local_of_instant, parse_zone, resolve_local

_DATE_FIELDS = ("year", "month", "day", "week", "dayofweek", "ordinalday", "quarter", "dayofquarter")
_TIME_FIELDS = ("hour", "minute", "second", "millisecond", "microsecond", "nanosecond")
#: the keys each kind accepts
_KEYS = {
    "date": {"date", *_DATE_FIELDS},
    "localtime": {"time", *_TIME_FIELDS},
    "time": {"time", "timezone", *_TIME_FIELDS},
    "localdatetime": {"date", "time", "datetime", *_DATE_FIELDS, *_TIME_FIELDS},
    "datetime": {"date", "time", "datetime", "timezone", "epochseconds", "epochmillis", *_DATE_FIELDS,
                 *_TIME_FIELDS},
}
_NAMES = {"date": "date", "localtime": "local time", "time": "time", "localdatetime": "local date time",
          "datetime": "date time"}


def _integer(fields: dict, key: str) -> int | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise CypherTypeError(f"the field {key} must be an integer, not {value!r}")
    return value


def _required(fields: dict, key: str) -> int:
    """The integer field ``key``, which the caller knows is there (``build`` refuses null fields)."""
    value = _integer(fields, key)
    if value is None:
        raise CypherArgumentError(f"the field {key} is missing")
    return value


def date_part(value) -> int | None:
    return value.day if isinstance(value, (Date, LocalDateTime, DateTime)) else None


def time_part(value) -> tuple[int, Zone | None] | None:
    """(nanos of day, zone or None) of a value that has a time of day."""
    if isinstance(value, LocalTime):
        return value.nanos, None
    if isinstance(value, Time):
        return value.nanos, Zone(value.offset)
    if isinstance(value, LocalDateTime):
        return value.nanos, None
    if isinstance(value, DateTime):
        return value.nanos, value.zone_id
    return None


def _select_date(fields: dict, base: int | None) -> int | None:
    """The epoch day the date fields describe, on top of ``base`` (an epoch day)."""
    year = _integer(fields, "year")
    if base is None and not any(k in fields for k in _DATE_FIELDS):
        return None
    if base is None and year is None:
        raise CypherArgumentError("a date needs a year (or a base value: date, datetime)")
    if "week" in fields or "dayofweek" in fields:
        if base is not None:
            base_year, base_week = iso_week(base)
            year = base_year if year is None else year
            week = _integer(fields, "week") or base_week
            dow = _integer(fields, "dayofweek") or weekday(base)
        else:
            if "week" not in fields:
                raise CypherArgumentError("dayOfWeek needs a week")
            week, dow = _required(fields, "week"), _integer(fields, "dayofweek") or 1
        _only(fields, ("month", "day", "ordinalday", "quarter", "dayofquarter"), "week")
        assert year is not None  # without a base, checked above
        return date_from_week(year, week, dow)
    if base is not None:
        by = civil(base)
    else:
        assert year is not None  # checked above
        by = (year, 1, 1)
    year = by[0] if year is None else year
    if "ordinalday" in fields:
        _only(fields, ("month", "day", "quarter", "dayofquarter"), "ordinalDay")
        return date_from_ordinal(year, _required(fields, "ordinalday"))
    if "quarter" in fields or "dayofquarter" in fields:
        _only(fields, ("month", "day"), "quarter")
        if base is not None:
            base_quarter = (by[1] - 1) // 3 + 1
            quarter = _integer(fields, "quarter") or base_quarter
            doq = _integer(fields, "dayofquarter") or base - quarter_start(by[0], base_quarter) + 1
        else:
            if "quarter" not in fields:
                raise CypherArgumentError("dayOfQuarter needs a quarter")
            quarter, doq = _required(fields, "quarter"), _integer(fields, "dayofquarter") or 1
        return date_from_quarter(year, quarter, doq)
    month = _integer(fields, "month")
    day = _integer(fields, "day")
    if base is None and day is not None and month is None:
        raise CypherArgumentError("a day needs a month")
    return date_from_fields(year, by[1] if month is None else month, by[2] if day is None else day)


def _only(fields: dict, conflicting: tuple[str, ...], what: str) -> None:
    for key in conflicting:
        if key in fields:
            raise CypherArgumentError(f"the field {key} cannot be combined with {what}")


def _select_time(fields: dict, base: int | None) -> int | None:
    """Nanoseconds of the day the time fields describe, on top of ``base``."""
    given = {k: _required(fields, k) for k in _TIME_FIELDS if k in fields}
    if base is None and not given:
        return None
    if base is None:
        for smaller, larger in (("minute", "hour"), ("second", "minute")):
            if smaller in given and larger not in given:
                raise CypherArgumentError(f"{smaller} cannot be given without {larger}")
        for sub in ("millisecond", "microsecond", "nanosecond"):
            if sub in given and "second" not in given:
                raise CypherArgumentError(f"{sub} cannot be given without second")
    base = base or 0
    seconds, fraction = divmod(base, NANOS_PER_SECOND)
    hour = given.get("hour", seconds // 3600)
    minute = given.get("minute", seconds // 60 % 60)
    second = given.get("second", seconds % 60)
    for value, high, name in ((hour, 23, "hour"), (minute, 59, "minute"), (second, 59, "second")):
        if not 0 <= value <= high:
            raise CypherArgumentError(f"invalid value for {name}: {value} (expected 0 to {high})")
    ms, us, ns = given.get("millisecond"), given.get("microsecond"), given.get("nanosecond")
    if ms is not None:
        _sub(ms, 999, "millisecond")
        _sub(us or 0, 999, "microsecond")
        _sub(ns or 0, 999 if us is not None else 999_999, "nanosecond")
        fraction = ms * 1_000_000 + (us or 0) * 1000 + (ns or 0)
    elif us is not None:
        _sub(us, 999_999, "microsecond")
        _sub(ns or 0, 999, "nanosecond")
        fraction = fraction // 1_000_000 * 1_000_000 + us * 1000 + (ns or 0)
    elif ns is not None:
        _sub(ns, 999_999_999, "nanosecond")
        fraction = fraction // 1000 * 1000 + ns
    if fraction >= NANOS_PER_SECOND:
        raise CypherArgumentError("the fractions of a second add up to a second or more")
    return ((hour * 60 + minute) * 60 + second) * NANOS_PER_SECOND + fraction


def _sub(value: int, high: int, name: str) -> int:
    if not 0 <= value <= high:
        raise CypherArgumentError(f"invalid value for {name}: {value} (expected 0 to {high})")
    return value


def _temporal(fields: dict, key: str):
    value = fields.get(key)
    if value is not None and not isinstance(value, Temporal):
        raise CypherTypeError(f"the field {key} must be a temporal value, not {value!r}")
    return value


def build(kind: str, fields: dict, default_zone: Zone = UTC) -> Temporal:
    """A temporal value of ``kind`` (date, localtime, time, localdatetime, datetime) from a
    map of fields; raises CypherError on an unknown field or an invalid value."""
    lowered = {}
    for key, value in fields.items():
        name = key.lower()
        if name not in _KEYS[kind]:
            raise CypherArgumentError(f"{_NAMES[kind]} has no field {key!r}")
        if value is None:
            raise CypherArgumentError(f"the field {key} of a {_NAMES[kind]} cannot be null")
        lowered[name] = value
    fields = lowered
    if "epochseconds" in fields or "epochmillis" in fields:
        return _from_epoch(fields, default_zone)
    source = _temporal(fields, "datetime")
    date_source = source if source is not None else _temporal(fields, "date")
    time_source = source if source is not None else _temporal(fields, "time")
    base_day = None
    if date_source is not None:
        base_day = date_part(date_source)
        if base_day is None:
            raise CypherTypeError(f"cannot take a date from {date_source}")
    base_time, source_zone = None, None
    if time_source is not None:
        found = time_part(time_source)
        if found is None:
            if source is None:
                raise CypherTypeError(f"cannot take a time from {time_source}")
            found = (0, None)
        base_time, source_zone = found
    day = _select_date(fields, base_day)
    nanos = _select_time(fields, base_time)
    if kind == "date":
        if day is None:  # date({}): no field at all
            raise CypherArgumentError("a date needs a year (or a base value: date, datetime)")
        return Date(day)
    if kind in ("localtime", "time"):
        nanos = nanos or 0
        if kind == "localtime":
            return LocalTime(nanos)
        if "timezone" in fields:
            zone = parse_zone(fields["timezone"])
            if source_zone is not None:
                nanos = (nanos + (_fixed(zone) - source_zone.offset) * NANOS_PER_SECOND) % NANOS_PER_DAY
            return Time(nanos, _fixed(zone))
        return Time(nanos, (source_zone or default_zone).offset)
    if day is None:
        raise CypherArgumentError(f"a {_NAMES[kind]} needs a date (a year, or a base value: date, datetime)")
    nanos = nanos or 0
    if kind == "localdatetime":
        return LocalDateTime(day, nanos)
    if source_zone is not None:
        day, nanos, offset = resolve_local(source_zone, day, nanos)
        value = DateTime(day, nanos, offset, source_zone.name)
        if "timezone" in fields:
            return with_zone_same_instant(value, parse_zone(fields["timezone"]))
        return value
    zone = parse_zone(fields["timezone"]) if "timezone" in fields else default_zone
    return DateTime(*resolve_local(zone, day, nanos), zone.name)


def _fixed(zone: Zone) -> int:
    if zone.name is not None and zone.name not in ("UTC", "GMT", "UT"):
        raise CypherTypeError(f"a time takes an offset, not the time zone {zone.name!r}")
    return zone.offset


def with_zone_same_instant(value: DateTime, zone: Zone) -> DateTime:
    day, nanos, offset = local_of_instant(zone, value.instant)
    return DateTime(day, nanos, offset, zone.name)


def _from_epoch(fields: dict, default_zone: Zone) -> DateTime:
    if "epochseconds" in fields:
        instant = _required(fields, "epochseconds") * NANOS_PER_SECOND
    else:
        instant = _required(fields, "epochmillis") * 1_000_000
    for key, scale in (("millisecond", 1_000_000), ("microsecond", 1000), ("nanosecond", 1)):
        if key in fields:
            instant += _required(fields, key) * scale
    rest = set(fields) - {"epochseconds", "epochmillis", "millisecond", "microsecond", "nanosecond", "timezone"}
    if rest:
        raise CypherArgumentError(f"epochSeconds and epochMillis cannot be combined with {', '.join(sorted(rest))}")
    zone = parse_zone(fields["timezone"]) if "timezone" in fields else default_zone
    day, nanos, offset = local_of_instant(zone, instant)
    return DateTime(day, nanos, offset, zone.name)


def from_epoch(seconds, nanos) -> DateTime:
    for value in (seconds, nanos):
        if not isinstance(value, int) or isinstance(value, bool):
            raise CypherTypeError("datetime.fromEpoch() takes integer seconds and nanoseconds")
    if not 0 <= nanos < NANOS_PER_SECOND:
        raise CypherArgumentError(f"invalid value for nanosecond: {nanos}")
    return DateTime(*local_of_instant(UTC, seconds * NANOS_PER_SECOND + nanos))


def from_epoch_millis(millis) -> DateTime:
    if not isinstance(millis, int) or isinstance(millis, bool):
        raise CypherTypeError("datetime.fromEpochMillis() takes integer milliseconds")
    return DateTime(*local_of_instant(UTC, millis * 1_000_000))


def convert(kind: str, value, default_zone: Zone = UTC) -> Temporal:
    """``date(x)``, ``time(x)``, ...: the value of another temporal type as ``kind``."""
    if kind == "date":
        return build(kind, {"date": value})
    if kind in ("localtime", "time"):
        return build(kind, {"time": value}, default_zone)
    if isinstance(value, (Date, LocalTime, Time)):
        raise CypherTypeError(f"cannot make a {_NAMES[kind]} of {value}")
    return build(kind, {"datetime": value}, default_zone)


# -- truncation -----------------------------------------------------------------------------

_DATE_UNITS = ("millennium", "century", "decade", "year", "weekyear", "quarter", "month", "week", "day")
_TIME_UNITS = {"hour": 3600 * NANOS_PER_SECOND, "minute": 60 * NANOS_PER_SECOND, "second": NANOS_PER_SECOND,
               "millisecond": 1_000_000, "microsecond": 1000}


def _truncate_day(unit: str, day: int) -> int:
    year, month, _ = civil(day)
    if unit in ("millennium", "century", "decade"):
        size = {"millennium": 1000, "century": 100, "decade": 10}[unit]
        return date_from_fields(year // size * size)
    if unit == "year":
        return date_from_fields(year)
    if unit == "weekyear":
        return week_year_start(iso_week(day)[0])
    if unit == "quarter":
        return date_from_fields(year, (month - 1) // 3 * 3 + 1)
    if unit == "month":
        return date_from_fields(year, month)
    if unit == "week":
        return day - weekday(day) + 1
    return day


def truncate(kind: str, unit, value, fields=None, default_zone: Zone = UTC) -> Temporal:
    """``kind.truncate(unit, value, fields)``."""
    if not isinstance(unit, str):
        raise CypherTypeError(f"the unit of truncate() must be a string, not {unit!r}")
    unit_key = unit.lower()
    if unit_key not in _DATE_UNITS and unit_key not in _TIME_UNITS:
        raise CypherArgumentError(f"truncate() does not know the unit {unit!r}")
    if fields is not None and not isinstance(fields, dict):
        raise CypherTypeError("the third argument of truncate() must be a map")
    if not isinstance(value, Temporal) or type(value).__name__ == "Duration":
        raise CypherTypeError(f"truncate() expects a temporal value, not {value!r}")
    fields = dict(fields or {})
    has_date = kind in ("date", "localdatetime", "datetime")
    day = date_part(value)
    found = time_part(value)
    nanos, zone = found if found is not None else (0, None)
    if day is None:
        if has_date:
            raise CypherArgumentError(f"cannot truncate {value} to a {_NAMES[kind]}: it has no date")
        day = 0  # not used: the kind has no date
    if unit_key in _DATE_UNITS:
        if not has_date and unit_key != "day":
            raise CypherArgumentError(f"a {_NAMES[kind]} cannot be truncated to the {unit}")
        nanos = 0
        if has_date:
            day = _truncate_day(unit_key, day)
    else:
        if kind == "date":
            raise CypherArgumentError(f"a date cannot be truncated to the {unit}")
        size = _TIME_UNITS[unit_key]
        nanos = nanos // size * size
    timezone = fields.pop("timezone", None)
    if timezone is not None:
        zone = parse_zone(timezone)
    zone = zone or default_zone
    if kind == "date":
        result: Temporal = Date(day)
    elif kind == "localtime":
        result = LocalTime(nanos)
    elif kind == "time":
        result = Time(nanos, _fixed(zone) if zone.name else zone.offset)
    elif kind == "localdatetime":
        result = LocalDateTime(day, nanos)
    else:
        result = DateTime(*resolve_local(zone, day, nanos), zone.name)
    if not fields:
        return result
    key = {"date": "date", "localtime": "time", "time": "time"}.get(kind, "datetime")
    rebuilt = build(kind, {key: result, **fields}, default_zone)
    return rebuilt
