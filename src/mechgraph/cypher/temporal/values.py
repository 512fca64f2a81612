"""Cypher's temporal values, to the nanosecond: Date, LocalTime, Time, LocalDateTime,
DateTime and Duration, with their ISO 8601 text (``str()``), their fields
(``d.year``, ``t.offset``, ...) and the keys that compare and order them.

A date is an epoch day, a time of day a count of nanoseconds, an offset seconds east
of UTC; a DateTime also keeps its zone name when it has one. A Duration keeps months,
days, seconds and nanoseconds apart (``0 <= nanos < 10**9``), as a month or a day has no
fixed length.

>>> str(Date(0)), str(LocalTime(45_296_000_000_000)), str(Duration(14, 3, 3600, 500_000_000))
('1970-01-01', '12:34:56', 'P1Y2M3DT1H0.5S')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CypherArgumentError
from .calendar import (NANOS_PER_DAY, NANOS_PER_SECOND, civil, iso_week, quarter_start, weekday)
from .zones import Zone, offset_text

#: the average month (365.2425 / 12 days), which orders durations and spreads fractions
AVG_SECONDS_PER_MONTH = 2_629_746
AVG_DAYS_PER_MONTH = 30.436875


def date_text(day: int) -> str:
    year, month, d = civil(day)
    if 0 <= year <= 9999:
        y = f"{year:04d}"
    elif year < 0:
        y = f"-{-year:04d}"
    else:
        y = f"+{year}"
    return f"{y}-{month:02d}-{d:02d}"


def time_text(nanos: int) -> str:
    """``HH:MM``, with seconds and a fraction of 3, 6 or 9 digits only when needed."""
    seconds, fraction = divmod(nanos, NANOS_PER_SECOND)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    if seconds % 60 or fraction:
        text += f":{seconds % 60:02d}"
        if fraction:
            if fraction % 1_000_000 == 0:
                text += f".{fraction // 1_000_000:03d}"
            elif fraction % 1000 == 0:
                text += f".{fraction // 1000:06d}"
            else:
                text += f".{fraction:09d}"
    return text


class Temporal:
    """What every temporal value shares: its Cypher type name and its fields.

    Dates, times, datetimes and durations the embedded engine returns are Temporal
    values; :meth:`field` reads a field as Cypher's ``value.year`` does.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> date = run_query("RETURN date('2024-05-01') AS d", graph=g).rows[0][0]
    >>> isinstance(date, Temporal), str(date), date.field("year")
    (True, '2024-05-01', 2024)
    """

    cypher_type = "TEMPORAL"

    def __str__(self) -> str:  # pragma: no cover - each class writes its own
        raise NotImplementedError

    def field(self, name: str):
        """The value of ``self.<name>`` (case-insensitive); CypherError when there is none."""
        getter = _FIELDS.get(name.lower())
        value = getter(self) if getter is not None else _MISSING
        if value is _MISSING:
            raise CypherArgumentError(f"{self.cypher_type} values have no field {name!r}")
        return value


_MISSING = object()


@dataclass(frozen=True)
class Date(Temporal):
    day: int
    cypher_type = "DATE"

    def __str__(self):
        return date_text(self.day)


@dataclass(frozen=True)
class LocalTime(Temporal):
    nanos: int
    cypher_type = "LOCAL TIME"

    def __str__(self):
        return time_text(self.nanos)


@dataclass(frozen=True)
class Time(Temporal):
    nanos: int
    offset: int
    cypher_type = "ZONED TIME"

    def __str__(self):
        return time_text(self.nanos) + offset_text(self.offset)


@dataclass(frozen=True)
class LocalDateTime(Temporal):
    day: int
    nanos: int
    cypher_type = "LOCAL DATETIME"

    def __str__(self):
        return f"{date_text(self.day)}T{time_text(self.nanos)}"


@dataclass(frozen=True)
class DateTime(Temporal):
    """A local date-time with the ``offset`` it has in ``zone`` (the name, or None for a
    fixed offset)."""

    day: int
    nanos: int
    offset: int
    zone: str | None = None
    cypher_type = "ZONED DATETIME"

    def __str__(self):
        text = f"{date_text(self.day)}T{time_text(self.nanos)}{offset_text(self.offset)}"
        return text + (f"[{self.zone}]" if self.zone else "")

    @property
    def instant(self) -> int:
        """Nanoseconds since 1970-01-01T00:00Z."""
        return self.day * NANOS_PER_DAY + self.nanos - self.offset * NANOS_PER_SECOND

    @property
    def zone_id(self) -> Zone:
        return Zone(self.offset, self.zone)


@dataclass(frozen=True)
class Duration(Temporal):
    months: int
    days: int
    seconds: int
    nanos: int
    cypher_type = "DURATION"

    def __post_init__(self):
        if not 0 <= self.nanos < NANOS_PER_SECOND:
            carry, nanos = divmod(self.nanos, NANOS_PER_SECOND)
            object.__setattr__(self, "seconds", self.seconds + carry)
            object.__setattr__(self, "nanos", nanos)

    def __str__(self):
        if not (self.months or self.days or self.seconds or self.nanos):
            return "PT0S"
        text = "P" + _unit(_quot(self.months, 12), "Y") + _unit(_rem(self.months, 12), "M") + _unit(self.days, "D")
        if self.seconds or self.nanos:
            negative = self.seconds < 0
            seconds, nanos = self.seconds, self.nanos
            if negative and nanos:
                seconds, nanos = seconds + 1, nanos - NANOS_PER_SECOND
            text += "T" + _unit(_quot(seconds, 3600), "H")
            seconds = _rem(seconds, 3600)
            text += _unit(_quot(seconds, 60), "M")
            seconds = _rem(seconds, 60)
            if seconds or nanos:
                sign = "-" if negative and seconds == 0 else ""
                fraction = f"{abs(nanos):09d}".rstrip("0")
                text += f"{sign}{seconds}" + (f".{fraction}" if fraction else "") + "S"
        return text if len(text) > 1 else "PT0S"

    def average_seconds(self) -> int:
        return self.seconds + self.days * 86_400 + self.months * AVG_SECONDS_PER_MONTH


def _quot(a: int, b: int) -> int:
    """Integer division truncated toward zero (as in Java)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _rem(a: int, b: int) -> int:
    return a - b * _quot(a, b)


def _unit(quantity: int, unit: str) -> str:
    return f"{quantity}{unit}" if quantity else ""


# -- fields -----------------------------------------------------------------------------

def _date_of(value) -> int | None:
    return value.day if isinstance(value, (Date, LocalDateTime, DateTime)) else None


def _nanos_of(value) -> int | None:
    return value.nanos if isinstance(value, (LocalTime, Time, LocalDateTime, DateTime)) else None


def _offset_of(value) -> int | None:
    return value.offset if isinstance(value, (Time, DateTime)) else None


def _on_date(fn):
    def get(value):
        day = _date_of(value)
        return _MISSING if day is None else fn(day)
    return get


def _on_time(fn):
    def get(value):
        nanos = _nanos_of(value)
        return _MISSING if nanos is None else fn(nanos)
    return get


def _on_offset(fn):
    def get(value):
        offset = _offset_of(value)
        return _MISSING if offset is None else fn(offset)
    return get


def _on_duration(fn):
    return lambda value: fn(value) if isinstance(value, Duration) else _MISSING


def _quarter(day: int) -> int:
    return (civil(day)[1] - 1) // 3 + 1


def _timezone(value):
    if isinstance(value, DateTime) and value.zone:
        return value.zone
    offset = _offset_of(value)
    return _MISSING if offset is None else offset_text(offset)


def _epoch(unit: int):
    return lambda v: v.instant // unit if isinstance(v, DateTime) else _MISSING


_FIELDS = {
    "year": _on_date(lambda d: civil(d)[0]),
    "quarter": _on_date(_quarter),
    "month": _on_date(lambda d: civil(d)[1]),
    "week": _on_date(lambda d: iso_week(d)[1]),
    "weekyear": _on_date(lambda d: iso_week(d)[0]),
    "day": _on_date(lambda d: civil(d)[2]),
    "ordinalday": _on_date(lambda d: d - quarter_start(civil(d)[0], 1) + 1),
    "weekday": _on_date(weekday), "dayofweek": _on_date(weekday),
    "dayofquarter": _on_date(lambda d: d - quarter_start(civil(d)[0], _quarter(d)) + 1),
    "hour": _on_time(lambda n: n // (3600 * NANOS_PER_SECOND)),
    "minute": _on_time(lambda n: n // (60 * NANOS_PER_SECOND) % 60),
    "second": _on_time(lambda n: n // NANOS_PER_SECOND % 60),
    "millisecond": _on_time(lambda n: n % NANOS_PER_SECOND // 1_000_000),
    "microsecond": _on_time(lambda n: n % NANOS_PER_SECOND // 1000),
    "nanosecond": _on_time(lambda n: n % NANOS_PER_SECOND),
    "timezone": _timezone,
    "offset": _on_offset(offset_text),
    "offsetminutes": _on_offset(lambda o: _quot(o, 60)),
    "offsetseconds": _on_offset(lambda o: o),
    "epochseconds": _epoch(NANOS_PER_SECOND),
    "epochmillis": _epoch(1_000_000),
    "years": _on_duration(lambda d: _quot(d.months, 12)),
    "quarters": _on_duration(lambda d: _quot(d.months, 3)),
    "months": _on_duration(lambda d: d.months),
    "weeks": _on_duration(lambda d: _quot(d.days, 7)),
    "days": _on_duration(lambda d: d.days),
    "hours": _on_duration(lambda d: _quot(d.seconds, 3600)),
    "minutes": _on_duration(lambda d: _quot(d.seconds, 60)),
    "seconds": _on_duration(lambda d: d.seconds),
    "milliseconds": _on_duration(lambda d: d.seconds * 1000 + d.nanos // 1_000_000),
    "microseconds": _on_duration(lambda d: d.seconds * 1_000_000 + d.nanos // 1000),
    "nanoseconds": _on_duration(lambda d: d.seconds * NANOS_PER_SECOND + d.nanos),
    "quartersofyear": _on_duration(lambda d: _rem(_quot(d.months, 3), 4)),
    "monthsofquarter": _on_duration(lambda d: _rem(d.months, 3)),
    "monthsofyear": _on_duration(lambda d: _rem(d.months, 12)),
    "daysofweek": _on_duration(lambda d: _rem(d.days, 7)),
    "minutesofhour": _on_duration(lambda d: _rem(_quot(d.seconds, 60), 60)),
    "secondsofminute": _on_duration(lambda d: _rem(d.seconds, 60)),
    "millisecondsofsecond": _on_duration(lambda d: d.nanos // 1_000_000),
    "microsecondsofsecond": _on_duration(lambda d: d.nanos // 1000),
    "nanosecondsofsecond": _on_duration(lambda d: d.nanos),
}


# -- comparison -------------------------------------------------------------------------

def compare_key(value: Temporal):
    """A key under which two values of the same temporal type compare as Cypher's ``<``
    does; None for durations, which ``<`` does not compare."""
    if isinstance(value, Date):
        return (value.day,)
    if isinstance(value, LocalTime):
        return (value.nanos,)
    if isinstance(value, Time):
        return (value.nanos - value.offset * NANOS_PER_SECOND, value.offset)
    if isinstance(value, LocalDateTime):
        return (value.day, value.nanos)
    if isinstance(value, DateTime):
        return (value.instant, value.offset, value.zone is not None, value.zone or "")
    return None


def order_key(value: Temporal):
    """A key that sorts values of one temporal type (durations by their average length)."""
    if isinstance(value, Duration):
        return (value.average_seconds(), value.nanos, value.months, value.days, value.seconds)
    return compare_key(value)


#: the rank of each temporal type in ORDER BY's global order, after paths, before strings
ORDER_RANK = {DateTime: 4.1, LocalDateTime: 4.2, Date: 4.3, Time: 4.4, LocalTime: 4.5, Duration: 4.6}
