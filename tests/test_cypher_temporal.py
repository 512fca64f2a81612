"""Temporal values in the embedded engine, checked against the semantics the openCypher
and Neo4j documentation give (the examples of the Cypher manual's temporal chapter,
ISO 8601 calendar facts, java.time's time zone rules): constructors, fields,
arithmetic, comparison, truncation, rendering in `mechgraph query`, and errors."""

from __future__ import annotations

import json

import pytest

from mechgraph.cypher.engine import Engine
from mechgraph.cypher.errors import CypherError
from mechgraph.cypher.matching import GraphIndex


@pytest.fixture(scope="module")
def engine():
    return Engine.from_index(GraphIndex([], []))


def one(engine, expression):
    """The value of one expression, as text when it is temporal."""
    value = engine.run(f"RETURN {expression} AS v").rows[0][0]
    return value if value is None or isinstance(value, (bool, int, float, list)) else str(value)


@pytest.mark.parametrize(("expression", "expected"), [
    # calendar, week, quarter and ordinal dates (Cypher manual, "Temporal functions")
    ("date({year: 1984, month: 10, day: 11})", "1984-10-11"),
    ("date({year: 1984, week: 10, dayOfWeek: 3})", "1984-03-07"),
    ("date({year: 1984, quarter: 3, dayOfQuarter: 45})", "1984-08-14"),
    ("date({year: 1984, ordinalDay: 202})", "1984-07-20"),
    ("date('2015-07-21')", "2015-07-21"),
    ("date('20150721')", "2015-07-21"),
    ("date('2015-W30-2')", "2015-07-21"),
    ("date('2015202')", "2015-07-21"),
    ("date('2015-07')", "2015-07-01"),
    ("date({year: 2015, week: 1})", "2014-12-29"),  # ISO week 1 holds the first Thursday
    ("localtime({hour: 12, minute: 31, second: 14, millisecond: 123, microsecond: 456, nanosecond: 789})",
     "12:31:14.123456789"),
    ("localtime('21:40:32.142')", "21:40:32.142"),
    ("localtime('214032')", "21:40:32"),
    ("localtime({hour: 12})", "12:00"),
    ("time({hour: 12, minute: 31, second: 14, microsecond: 645876, timezone: '+01:00'})", "12:31:14.645876+01:00"),
    ("time('214032.142+0100')", "21:40:32.142+01:00"),
    ("time({hour: 12})", "12:00Z"),
    ("localdatetime('2015-W30-2T214032.142')", "2015-07-21T21:40:32.142"),
    ("localdatetime({year: 1984, month: 10, day: 11, hour: 12, minute: 31, second: 14})", "1984-10-11T12:31:14"),
    ("datetime({year: 1984, month: 10, day: 11, hour: 12, minute: 31, second: 14, millisecond: 123, "
     "microsecond: 456, nanosecond: 789, timezone: 'Europe/Stockholm'})",
     "1984-10-11T12:31:14.123456789+01:00[Europe/Stockholm]"),
    ("datetime('2015-07-21T21:40:32.142+0100')", "2015-07-21T21:40:32.142+01:00"),
    ("datetime('2015-07-21T21:40:32.142[Europe/London]')", "2015-07-21T21:40:32.142+01:00[Europe/London]"),
    ("datetime({year: 1984, month: 10, day: 11})", "1984-10-11T00:00Z"),  # the default zone is UTC
    ("datetime({epochSeconds: 1, nanosecond: 5})", "1970-01-01T00:00:01.000000005Z"),
    ("datetime.fromepochmillis(1000)", "1970-01-01T00:00:01Z"),
    ("datetime.fromepoch(86400, 0)", "1970-01-02T00:00Z"),
    # a local time skipped when the clocks go forward moves forward by the gap (java.time)
    ("datetime({year: 2017, month: 3, day: 26, hour: 2, minute: 30, timezone: 'Europe/Stockholm'})",
     "2017-03-26T03:30+02:00[Europe/Stockholm]"),
    ("date('+10000-01-01')", "+10000-01-01"),
    ("date({year: -44, month: 3, day: 15})", "-0044-03-15"),
    # selecting from other values
    ("date(datetime('2015-07-21T21:40:32.142+0100'))", "2015-07-21"),
    ("localtime(time('12:00+01:00'))", "12:00"),
    ("time({time: localtime('12:00'), timezone: '+05:00'})", "12:00+05:00"),
    ("time({time: time('12:00+01:00'), timezone: '+05:00'})", "16:00+05:00"),  # the same instant
    ("localdatetime({date: date('1984-10-11'), time: localtime('12:31'), day: 28})", "1984-10-28T12:31"),
    ("datetime({datetime: datetime('2015-07-21T12:00Z'), timezone: 'Europe/Stockholm'})",
     "2015-07-21T14:00+02:00[Europe/Stockholm]"),
    # durations (Cypher manual)
    ("duration({days: 14, hours: 16, minutes: 12})", "P14DT16H12M"),
    ("duration({months: 5, days: 1.5})", "P5M1DT12H"),
    ("duration({minutes: 1.5, seconds: 1})", "PT1M31S"),
    ("duration('P14DT16H12M')", "P14DT16H12M"),
    ("duration('P5M1.5D')", "P5M1DT12H"),
    ("duration('PT0.75M')", "PT45S"),
    ("duration('P2012-02-02T14:37:21.545')", "P2012Y2M2DT14H37M21.545S"),
    ("duration({seconds: -1, milliseconds: 500})", "PT-0.5S"),
    ("duration({})", "PT0S"),
])
def test_constructors(engine, expression, expected):
    assert one(engine, expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("[d IN [date('1984-10-11')] | [d.year, d.quarter, d.month, d.week, d.weekYear, d.day, d.ordinalDay, "
     "d.dayOfWeek, d.dayOfQuarter]][0]", [1984, 4, 10, 41, 1984, 11, 285, 4, 11]),
    ("[d IN [date('1984-01-01')] | [d.weekYear, d.week, d.weekDay]][0]", [1983, 52, 7]),
    ("[t IN [localtime('12:31:14.645876123')] | [t.hour, t.minute, t.second, t.millisecond, t.microsecond, "
     "t.nanosecond]][0]", [12, 31, 14, 645, 645876, 645876123]),
    ("[t IN [time('12:31+01:00')] | [t.timezone, t.offset, t.offsetMinutes, t.offsetSeconds]][0]",
     ["+01:00", "+01:00", 60, 3600]),
    ("[d IN [datetime('1984-11-11T12:31:14.645+01:00[Europe/Stockholm]')] | [d.timezone, d.offset, "
     "d.epochSeconds, d.epochMillis]][0]", ["Europe/Stockholm", "+01:00", 469020674, 469020674645]),
    ("[d IN [duration({years: 1, months: 4, days: 10, hours: 1, minutes: 1, seconds: 1, "
     "nanoseconds: 111111111})] | [d.years, d.months, d.monthsOfYear, d.days, d.hours, d.minutes, d.seconds, "
     "d.minutesOfHour, d.secondsOfMinute, d.milliseconds, d.nanosecondsOfSecond]][0]",
     [1, 16, 4, 10, 1, 61, 3661, 1, 1, 3661111, 111111111]),
])
def test_fields(engine, expression, expected):
    assert one(engine, expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("date('2020-01-31') + duration('P1M')", "2020-02-29"),  # clamped to the month's end
    ("date('1984-10-11') + duration({years: 12, months: 5, days: 14, hours: 16})", "1997-03-25"),
    ("date('1984-10-11') - duration('P1Y2M3D')", "1983-08-08"),
    ("localtime('23:00') + duration('PT2H')", "01:00"),  # a time of day wraps around
    ("localtime('12:31:14.000000001') + duration('PT0.000000002S')", "12:31:14.000000003"),
    ("localdatetime('2015-07-21T23:00') + duration('PT2H')", "2015-07-22T01:00"),
    ("time('12:00+01:00') - duration('PT1H30M')", "10:30+01:00"),
    # across the end of summer time: a day is a calendar day, 24 hours are 24 hours
    ("datetime('2017-10-28T12:00[Europe/Stockholm]') + duration('P1D')",
     "2017-10-29T12:00+01:00[Europe/Stockholm]"),
    ("datetime('2017-10-28T12:00[Europe/Stockholm]') + duration('PT24H')",
     "2017-10-29T11:00+01:00[Europe/Stockholm]"),
    ("duration('P1Y2M') + duration('P3DT4H')", "P1Y2M3DT4H"),
    ("duration('PT1H') - duration('PT90M')", "PT-30M"),
    ("duration('P1DT1H') * 2", "P2DT2H"),
    ("duration('P1D') / 2", "PT12H"),
    ("-duration('P1M')", "P-1M"),
    ("duration.between(date('1984-10-11'), date('2015-06-24'))", "P30Y8M13D"),
    ("duration.inMonths(date('1984-10-11'), date('2015-06-24'))", "P30Y8M"),
    ("duration.inDays(date('1984-10-11'), date('2015-06-24'))", "P11213D"),
    ("duration.inSeconds(date('1984-10-11'), date('1984-10-12'))", "PT24H"),
    ("duration.between(localdatetime('2018-01-02T10:00'), localdatetime('2018-01-01T12:00'))", "PT-22H"),
    ("duration.inSeconds(localtime('12:34:54.7'), localtime('12:34:54.3'))", "PT-0.4S"),
    ("duration.inSeconds(datetime('2017-10-29T00:00[Europe/Stockholm]'), "
     "datetime('2017-10-29T04:00[Europe/Stockholm]'))", "PT5H"),  # the clocks went back an hour
    ("duration.between(null, date())", None),
])
def test_arithmetic(engine, expression, expected):
    assert one(engine, expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("date('1980-12-24') < date('1984-10-11')", True),
    ("localtime('10:35') > localtime('12:31:14.645876123')", False),
    ("time('12:00+01:00') < time('11:30Z')", True),  # 11:00 UTC before 11:30 UTC
    ("datetime('2018-01-01T00:00+01:00') < datetime('2018-01-01T00:00Z')", True),
    ("localdatetime('2015-07-21T21:40') = localdatetime('2015-07-21T21:40:00.000')", True),
    ("date('2015-07-21') = localdatetime('2015-07-21T00:00')", False),  # different types
    ("date('2015-07-21') < localdatetime('2015-07-21T00:00')", None),
    ("duration('P1D') = duration('PT24H')", False),  # a day is not always 24 hours
    ("duration('P1D') < duration('P2D')", None),  # durations are not ordered by <
    ("date('2015-07-21') IN [date({year: 2015, month: 7, day: 21})]", True),
])
def test_comparison(engine, expression, expected):
    assert one(engine, expression) is expected


def test_order_by_sorts_within_each_type_and_groups_types(engine):
    rows = engine.run("UNWIND [date('2020-01-02'), 'a', date('2019-12-31'), localtime('01:00'), 1, "
                      "datetime('2020-01-01T00:00+01:00'), datetime('2019-12-31T23:30Z')] AS v "
                      "RETURN v ORDER BY v").rows
    assert [str(v) for (v,) in rows] == ["2020-01-01T00:00+01:00", "2019-12-31T23:30Z", "2019-12-31",
                                         "2020-01-02", "01:00", "a", "1"]


def test_distinct_and_grouping(engine):
    rows = engine.run("UNWIND [date('2020-01-01'), date({year: 2020}), date('2020-01-02')] AS d "
                      "RETURN d, count(*) AS n ORDER BY d").rows
    assert [(str(d), n) for d, n in rows] == [("2020-01-01", 2), ("2020-01-02", 1)]
    assert one(engine, "max(date('2020-01-01'))") == "2020-01-01"


@pytest.mark.parametrize(("expression", "expected"), [
    ("date.truncate('week', date('2019-10-01'))", "2019-09-30"),  # the Monday of its ISO week
    ("date.truncate('weekYear', date('1984-01-01'))", "1983-01-03"),
    ("date.truncate('quarter', date('1984-11-11'), {day: 2})", "1984-10-02"),
    ("date.truncate('millennium', date('2017-10-11'))", "2000-01-01"),
    ("datetime.truncate('day', datetime('2017-11-11T12:31:14.645876123+01:00'))", "2017-11-11T00:00+01:00"),
    ("datetime.truncate('month', localdatetime('2017-11-11T12:31'), {timezone: 'Europe/Stockholm'})",
     "2017-11-01T00:00+01:00[Europe/Stockholm]"),
    ("localdatetime.truncate('hour', localdatetime('2017-11-11T12:31:14'))", "2017-11-11T12:00"),
    ("localtime.truncate('millisecond', localtime('12:31:14.645876123'))", "12:31:14.645"),
    ("time.truncate('minute', time('12:31:14+01:00'), {second: 5})", "12:31:05+01:00"),
])
def test_truncation(engine, expression, expected):
    assert one(engine, expression) == expected


def test_the_clock_stands_still_within_a_query(engine):
    assert one(engine, "duration.inSeconds(localdatetime(), localdatetime())") == "PT0S"
    assert one(engine, "date() = date.statement()") is True
    assert one(engine, "datetime().timezone") == "Z"


def test_null_propagates(engine):
    assert one(engine, "date(null)") is None
    assert one(engine, "date('2015-07-21') + null") is None
    assert one(engine, "date.truncate('day', null)") is None


@pytest.mark.parametrize(("expression", "message"), [
    ("date({year: 2015, month: 13})", "invalid value for month: 13 (expected 1 to 12)"),
    ("date('2015-02-30')", "invalid value for day: 30 (expected 1 to 28)"),
    ("date('yesterday')", "cannot read 'yesterday' as a date"),
    ("datetime({year: 2015, timezone: 'Mars/Olympus'})", "unknown time zone 'Mars/Olympus'"),
    ("date({year: 2015, hour: 1})", "date has no field 'hour'"),
    ("date({})", "a date needs a year (or a base value: date, datetime)"),
    ("date('2015-07-21').hour", "DATE values have no field 'hour'"),
    ("date('2015-07-21') + 1", "type mismatch: cannot apply + to DATE and INTEGER"),
    ("date('2015-07-21') - date('2015-07-20')", "type mismatch: cannot apply - to DATE and DATE"),
    ("duration('P1D') / 0", "a duration cannot be divided by zero"),
])
def test_errors_name_the_problem(engine, expression, message):
    with pytest.raises(CypherError) as raised:
        engine.run(f"RETURN {expression}")
    assert str(raised.value) == message


QUERY = ("RETURN date('2015-07-21') AS d, datetime('2015-07-21T21:40:32.142+02:00[Europe/Paris]') AS dt, "
         "duration('P1DT2H') AS dur")


def test_query_renders_iso_text(run, example_dir):
    table = run("--graph", example_dir, "query", "--embedded", QUERY).stdout.splitlines()
    assert table[2].split(" | ") == ["2015-07-21", "2015-07-21T21:40:32.142+02:00[Europe/Paris]", "P1DT2H"]
    rows = json.loads(run("--graph", example_dir, "query", "--embedded", QUERY, "--json").stdout)["rows"]
    assert rows == [{"d": "2015-07-21", "dt": "2015-07-21T21:40:32.142+02:00[Europe/Paris]", "dur": "P1DT2H"}]
    csv = run("--graph", example_dir, "query", "--embedded", QUERY, "--csv").stdout
    assert csv == "d,dt,dur\n2015-07-21,2015-07-21T21:40:32.142+02:00[Europe/Paris],P1DT2H\n"


def test_query_errors_are_one_line(run, example_dir):
    result = run("--graph", example_dir, "query", "--embedded", "RETURN date({year: 2015, month: 13})")
    assert result.exit_code == 1
    assert result.stderr == "error: invalid value for month: 13 (expected 1 to 12)\n"
