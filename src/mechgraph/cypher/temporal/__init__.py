"""Temporal values in the embedded Cypher engine: dates, times, date-times and durations
to the nanosecond, with named time zones from the system's tz database.

- :mod:`.calendar`: epoch days, ISO weeks and months, for any year;
- :mod:`.zones`: offsets and named zones;
- :mod:`.values`: the six value types, their text and fields;
- :mod:`.parsing`: values from ISO 8601 text;
- :mod:`.building`: values from maps, other values and truncation;
- :mod:`.arithmetic`: adding durations, scaling them, the duration between two values;
- :mod:`.functions`: the Cypher functions.

>>> from .functions import TEMPORAL_FUNCTIONS
>>> date = TEMPORAL_FUNCTIONS["date"][0]
>>> str(date({"year": 1984, "week": 10, "dayOfWeek": 3})), date("2015-07-21").field("weekYear")
('1984-03-07', 2015)
"""

from .values import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time

__all__ = ["Date", "DateTime", "Duration", "LocalDateTime", "LocalTime", "Temporal", "Time"]
