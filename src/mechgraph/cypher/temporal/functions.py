"""The temporal functions of Cypher, as entries of the engine's function table.

``date()``, ``localtime()``, ``time()``, ``localdatetime()``, ``datetime()`` take
nothing (now), a string, a map or another temporal value; ``X.truncate``,
``X.statement``/``transaction``/``realtime``, ``datetime.fromEpoch``,
``datetime.fromEpochMillis``, ``duration()`` (string or map), ``duration.between``,
``duration.inMonths``, ``duration.inDays``, ``duration.inSeconds`` and ``timestamp()``.
The default time zone is UTC.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable

from ..errors import CypherArgumentError, CypherTypeError
from ..limits import current
from .arithmetic import between
from .building import build, convert, from_epoch, from_epoch_millis, truncate
from .calendar import NANOS_PER_DAY
from .parsing import (approximate, parse_date, parse_datetime, parse_duration, parse_local_datetime,
                      parse_local_time, parse_time)
from .values import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time
from .zones import UTC, local_of_instant, parse_zone

_PARSERS = {"date": parse_date, "localtime": parse_local_time, "time": parse_time,
            "localdatetime": parse_local_datetime, "datetime": parse_datetime}


def now(kind: str, timezone=None, *, real: bool = False) -> Temporal:
    """The current moment as ``kind``, in ``timezone`` (default UTC): the statement's
    clock, the same throughout a query, or with ``real`` the clock as it is now."""
    zone = parse_zone(timezone) if timezone is not None else UTC
    day, nanos, offset = local_of_instant(zone, _time.time_ns() if real else current().now())
    if kind == "date":
        return Date(day)
    if kind == "localtime":
        return LocalTime(nanos)
    if kind == "time":
        return Time(nanos, offset)
    if kind == "localdatetime":
        return LocalDateTime(day, nanos)
    return DateTime(day, nanos, offset, zone.name)


def _constructor(kind: str) -> Callable:
    def construct(value=_NOW):
        if value is _NOW:
            return now(kind)
        if isinstance(value, str):
            return _PARSERS[kind](value)
        if isinstance(value, dict):
            if "timezone" in value and len(value) == 1 and value["timezone"] is not None:
                return now(kind, value["timezone"])
            return build(kind, value)
        if isinstance(value, Temporal) and not isinstance(value, Duration):
            return convert(kind, value)
        raise CypherTypeError(f"{kind}() expects a string, a map or a temporal value, not {value!r}")
    return construct


_NOW = object()


def _duration(value):
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, Duration):
        return value
    if not isinstance(value, dict):
        raise CypherTypeError(f"duration() expects a string or a map, not {value!r}")
    scale = {"years": (0, 12), "months": (0, 1), "weeks": (1, 7), "days": (1, 1), "hours": (2, 3600),
             "minutes": (2, 60), "seconds": (2, 1), "milliseconds": (3, 1_000_000), "microseconds": (3, 1000),
             "nanoseconds": (3, 1)}
    amounts: list = [0, 0, 0, 0]
    for key, amount in value.items():
        entry = scale.get(key.lower())
        if entry is None:
            raise CypherArgumentError(f"a duration has no field {key!r}")
        if amount is None or isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise CypherTypeError(f"the field {key} of a duration must be a number, not {amount!r}")
        amounts[entry[0]] += amount * entry[1]
    return approximate(*amounts)


def _between(unit: str) -> Callable:
    def run(start, end):
        for value in (start, end):
            if not isinstance(value, Temporal) or isinstance(value, Duration):
                raise CypherTypeError(f"duration.{unit}() expects two temporal values, not {value!r}")
        return between(unit.lower(), start, end)
    return run


def _truncate(kind: str) -> Callable:
    return lambda unit, value, fields=None: truncate(kind, unit, value, fields)


def _clock(kind: str, real: bool) -> Callable:
    return lambda timezone=_NOW: now(kind, None if timezone is _NOW else timezone, real=real)


def _timestamp() -> int:
    return current().now() // 1_000_000


#: name (lower case) -> (function, smallest and largest number of arguments)
TEMPORAL_FUNCTIONS: dict[str, tuple[Callable, int, int]] = {
    "duration": (_duration, 1, 1), "timestamp": (_timestamp, 0, 0),
    "datetime.fromepoch": (from_epoch, 2, 2), "datetime.fromepochmillis": (from_epoch_millis, 1, 1),
    **{f"duration.{unit.lower()}": (_between(unit), 2, 2) for unit in ("between", "inMonths", "inDays", "inSeconds")},
}
for _kind in _PARSERS:
    TEMPORAL_FUNCTIONS[_kind] = (_constructor(_kind), 0, 1)
    TEMPORAL_FUNCTIONS[f"{_kind}.truncate"] = (_truncate(_kind), 2, 3)
    for _clock_name in ("statement", "transaction", "realtime"):
        TEMPORAL_FUNCTIONS[f"{_kind}.{_clock_name}"] = (_clock(_kind, _clock_name == "realtime"), 0, 1)

__all__ = ["NANOS_PER_DAY", "TEMPORAL_FUNCTIONS", "now"]
