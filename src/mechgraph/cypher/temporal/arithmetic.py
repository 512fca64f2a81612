"""Temporal arithmetic: a value plus or minus a duration, durations added, scaled and
negated, and the duration between two values.

Adding a duration adds its months (the day clamped to the month's end), then its days,
then its seconds and nanoseconds; a date ignores the part below a day, a time the part
above it. A DateTime in a named zone adds months and days on its local date (the offset
follows the zone) and seconds on the instant. ``duration.between(a, b)`` counts whole
months, then whole days, then the rest; a value without a date borrows the other's
date, and one without a zone borrows the other's zone.

>>> from .parsing import parse_date, parse_duration
>>> str(add(parse_date("2020-01-31"), parse_duration("P1M")))
'2020-02-29'
>>> str(between("between", parse_date("1984-10-11"), parse_date("2015-06-24")))
'P30Y8M13D'
"""

from __future__ import annotations

from ..errors import CypherArgumentError, CypherTypeError
from .calendar import NANOS_PER_DAY, NANOS_PER_SECOND, months_until, plus_months
from .parsing import approximate
from .values import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time
from .zones import Zone, check_day, local_of_instant, resolve_local


def _java_quot(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def add(value: Temporal, duration: Duration, sign: int = 1) -> Temporal:
    """``value + duration`` (``sign`` -1: ``value - duration``)."""
    months, days = sign * duration.months, sign * duration.days
    nanos = sign * (duration.seconds * NANOS_PER_SECOND + duration.nanos)
    if isinstance(value, Date):
        day = plus_months(value.day, months) + days + sign * _java_quot(duration.seconds, 86_400)
        return Date(check_day(day))
    if isinstance(value, LocalTime):
        return LocalTime((value.nanos + nanos) % NANOS_PER_DAY)
    if isinstance(value, Time):
        return Time((value.nanos + nanos) % NANOS_PER_DAY, value.offset)
    if isinstance(value, LocalDateTime):
        extra, time = divmod(value.nanos + nanos, NANOS_PER_DAY)
        return LocalDateTime(check_day(plus_months(value.day, months) + days + extra), time)
    if isinstance(value, DateTime):
        day = plus_months(value.day, months) + days
        zone = value.zone_id
        if day != value.day:
            day, time, offset = _resolve_keeping(zone, check_day(day), value.nanos, value.offset)
        else:
            time, offset = value.nanos, value.offset
        if nanos:
            instant = day * NANOS_PER_DAY + time - offset * NANOS_PER_SECOND + nanos
            day, time, offset = local_of_instant(zone, instant)
        return DateTime(check_day(day), time, offset, value.zone)
    raise CypherTypeError(f"cannot add a duration to {value}")


def _resolve_keeping(zone: Zone, day: int, nanos: int, offset: int) -> tuple[int, int, int]:
    """A local date-time in ``zone``, keeping ``offset`` when it is still valid there."""
    if zone.name is None:
        return day, nanos, offset
    resolved = resolve_local(zone, day, nanos)
    if resolved[2] != offset and (resolved[0], resolved[1]) == (day, nanos):
        instant = day * NANOS_PER_DAY + nanos - offset * NANOS_PER_SECOND
        if local_of_instant(zone, instant) == (day, nanos, offset):  # an overlap: the offset stays valid
            return day, nanos, offset
    return resolved


def add_durations(a: Duration, b: Duration, sign: int = 1) -> Duration:
    return Duration(a.months + sign * b.months, a.days + sign * b.days, a.seconds + sign * b.seconds,
                    a.nanos + sign * b.nanos)


def negate(d: Duration) -> Duration:
    return Duration(-d.months, -d.days, -d.seconds, -d.nanos)


def multiply(d: Duration, factor) -> Duration:
    if isinstance(factor, int):
        return Duration(d.months * factor, d.days * factor, d.seconds * factor, d.nanos * factor)
    return approximate(d.months * factor, d.days * factor, d.seconds * factor, d.nanos * factor)


def divide(d: Duration, divisor) -> Duration:
    if divisor == 0:
        raise CypherArgumentError("a duration cannot be divided by zero")
    divisor = float(divisor)
    return approximate(d.months / divisor, d.days / divisor, d.seconds / divisor, d.nanos / divisor)


# -- between ----------------------------------------------------------------------------------

def _parts(value: Temporal) -> tuple[int | None, int | None, Zone | None]:
    """(epoch day or None, nanos of day or None, zone or None)."""
    if isinstance(value, Date):
        return value.day, None, None
    if isinstance(value, LocalTime):
        return None, value.nanos, None
    if isinstance(value, Time):
        return None, value.nanos, Zone(value.offset)
    if isinstance(value, LocalDateTime):
        return value.day, value.nanos, None
    if isinstance(value, DateTime):
        return value.day, value.nanos, value.zone_id
    raise CypherTypeError(f"duration.between() expects temporal values, not {value}")


def _local_until_months(d1: int, n1: int, d2: int, n2: int) -> int:
    end = d2
    if d2 > d1 and n2 < n1:
        end -= 1
    elif d2 < d1 and n2 > n1:
        end += 1
    return months_until(d1, end)


def _local_until_days(d1: int, n1: int, d2: int, n2: int) -> int:
    end = d2
    if d2 > d1 and n2 < n1:
        end -= 1
    elif d2 < d1 and n2 > n1:
        end += 1
    return end - d1


def between(unit: str, start: Temporal, end: Temporal) -> Duration:
    """``duration.between`` (unit "between"), ``duration.inMonths``, ``inDays``, ``inSeconds``."""
    day1, time1, zone1 = _parts(start)
    day2, time2, zone2 = _parts(end)
    if day1 is None and day2 is None:  # two times of day
        if unit in ("inmonths", "indays"):
            return Duration(0, 0, 0, 0)
        assert time1 is not None and time2 is not None  # a value without a date is a time of day
        if zone1 is not None and zone2 is not None:
            diff = (time2 - zone2.offset * NANOS_PER_SECOND) - (time1 - zone1.offset * NANOS_PER_SECOND)
        else:
            diff = time2 - time1
        return Duration(0, 0, 0, diff)
    both_dates = time1 is None and time2 is None
    if day1 is None:
        day1 = day2
    if day2 is None:
        day2 = day1
    assert day1 is not None and day2 is not None  # one of the two has a date
    time1, time2 = time1 or 0, time2 or 0
    if zone1 is None:
        zone1 = zone2
    if zone2 is None:
        zone2 = zone1
    if zone1 is not None and zone2 is not None:  # each has the other's zone when it had none
        day1, time1, offset1 = resolve_local(zone1, day1, time1)
        day2, time2, offset2 = resolve_local(zone2, day2, time2)
        instant1 = day1 * NANOS_PER_DAY + time1 - offset1 * NANOS_PER_SECOND
        instant2 = day2 * NANOS_PER_DAY + time2 - offset2 * NANOS_PER_SECOND
        day2, time2, _ = local_of_instant(zone1, instant2)  # the end, seen from the start's zone
    else:
        offset1 = 0
        instant1 = day1 * NANOS_PER_DAY + time1
        instant2 = day2 * NANOS_PER_DAY + time2
    if unit == "inseconds":
        return Duration(0, 0, 0, instant2 - instant1)
    if unit == "indays":
        return Duration(0, _local_until_days(day1, time1, day2, time2), 0, 0)
    months = _local_until_months(day1, time1, day2, time2)
    if unit == "inmonths":
        return Duration(months, 0, 0, 0)
    day1 = plus_months(day1, months)
    days = _local_until_days(day1, time1, day2, time2)
    day1 += days
    if both_dates:
        return Duration(months, days, 0, 0)
    if zone1 is not None:
        day1, time1, offset1 = _resolve_keeping(zone1, day1, time1, offset1)
        rest = instant2 - (day1 * NANOS_PER_DAY + time1 - offset1 * NANOS_PER_SECOND)
    else:
        rest = instant2 - (day1 * NANOS_PER_DAY + time1)
    return Duration(months, days, 0, rest)
