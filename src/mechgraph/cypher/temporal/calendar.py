"""The proleptic Gregorian calendar on epoch days (days since 1970-01-01), for any year.

Python's ``datetime`` stops at the years 1 and 9999; Cypher's temporal values reach
±999,999,999, so days are counted here with integer arithmetic (the civil-from-days
algorithm) and ISO weeks are derived from them.

>>> civil(epoch_day(2015, 7, 21))
(2015, 7, 21)
>>> iso_week(epoch_day(1984, 1, 1))
(1983, 52)
"""

from __future__ import annotations

#: nanoseconds in a second and in a day
NANOS_PER_SECOND = 1_000_000_000
NANOS_PER_DAY = 86_400 * NANOS_PER_SECOND
#: the year range of Cypher's temporal values
MIN_YEAR, MAX_YEAR = -999_999_999, 999_999_999


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def epoch_day(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the given (valid) date."""
    y = year - (month <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def civil(day: int) -> tuple[int, int, int]:
    """(year, month, day) of an epoch day."""
    z = day + 719_468
    era = z // 146_097
    day_of_era = z - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    mp = (5 * day_of_year + 2) // 153
    d = day_of_year - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return year_of_era + era * 400 + (m <= 2), m, d


def weekday(day: int) -> int:
    """ISO day of the week: 1 (Monday) to 7 (Sunday); 1970-01-01 was a Thursday."""
    return (day + 3) % 7 + 1


def week_year_start(week_year: int) -> int:
    """The Monday of ISO week 1 of ``week_year`` (the week holding 4 January)."""
    fourth = epoch_day(week_year, 1, 4)
    return fourth - (weekday(fourth) - 1)


def iso_week(day: int) -> tuple[int, int]:
    """(week-based year, week of that year) of an epoch day."""
    thursday = day + (4 - weekday(day))
    week_year = civil(thursday)[0]
    return week_year, (day - week_year_start(week_year)) // 7 + 1


def weeks_in(week_year: int) -> int:
    return (week_year_start(week_year + 1) - week_year_start(week_year)) // 7


def quarter_start(year: int, quarter: int) -> int:
    return epoch_day(year, 3 * (quarter - 1) + 1, 1)


def plus_months(day: int, months: int) -> int:
    """The same day of the month ``months`` later, clamped to the month's last day."""
    if not months:
        return day
    year, month, d = civil(day)
    total = year * 12 + (month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return epoch_day(year, month, min(d, month_length(year, month)))


def months_until(start: int, end: int) -> int:
    """Whole months from one epoch day to another, truncated toward zero (as
    java.time's ``LocalDate.until(end, MONTHS)``)."""
    y1, m1, d1 = civil(start)
    y2, m2, d2 = civil(end)
    packed1 = (y1 * 12 + m1 - 1) * 32 + d1
    packed2 = (y2 * 12 + m2 - 1) * 32 + d2
    diff = packed2 - packed1
    return diff // 32 if diff >= 0 else -((-diff) // 32)
