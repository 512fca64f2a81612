"""Model records to plain JSON data and back, exactly: what the on-disk cache stores.

A record (:class:`~mechgraph.model.Entity`, :class:`~mechgraph.model.Assertion`,
:class:`~mechgraph.model.Finding`, :class:`~mechgraph.model.Source`, and the
:class:`~mechgraph.model.Intervention`, :class:`~mechgraph.model.Quantity` and
:class:`~mechgraph.model.Where` inside them) becomes the list of its field values in
declaration order (tuples stay tuples, which JSON writes as arrays) and nested records
lists of their own. Reading
back follows each field's type annotation, so tuples come back as tuples and the record
compares equal (``where`` included) to the one written. Nothing is executed on reading:
the data is JSON, and only the record classes named here are ever built.

>>> import json
>>> from mechgraph.model import Entity, Where
>>> e = Entity("x", "Drug", "X", "X中", aliases=("x1",), where=Where("g.yaml", 3))
>>> text = json.dumps(to_plain(e), ensure_ascii=False)
>>> text
'["x", "Drug", "X", "X中", ["x1"], {}, "", "", ["g.yaml", 3]]'
>>> back = from_plain(Entity, json.loads(text))
>>> back == e and back.where == e.where
True
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
import typing
from collections.abc import Callable
from typing import Any

from .. import model
from ..errors import quote

#: the record classes that may be read back, by name
RECORD_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    model.Entity, model.Assertion, model.Finding, model.Source, model.Intervention, model.Quantity, model.Where)}

_SCALARS = (str, int, float, bool, type(None))


def to_plain(record: Any) -> list:
    """The plain data (lists, tuples, dicts, strings, numbers) of one record; JSON-ready."""
    return encoder(type(record))(record)


def from_plain(cls: type, data: list) -> Any:
    """The record of class ``cls`` whose plain data is ``data`` (as :func:`to_plain` gave it).

    Raises ValueError when ``data`` does not have the record's shape.
    """
    try:
        return _record_decoder(cls)(data)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        raise ValueError(f"not a plain {cls.__name__}: {exc}") from None


def field_position(cls: type, name: str) -> int:
    """The place of field ``name`` in the plain data of a ``cls`` record (fields in
    declaration order), for reading one value off a record's text without making the record.

    >>> field_position(model.Source, "kind")
    1
    """
    return [f.name for f in dataclasses.fields(cls)].index(name)


def encoder(cls: type) -> Callable[[Any], list]:
    """The function from a record of ``cls`` to its plain data."""
    return _record_encoder(cls)


def decoder(cls: type) -> Callable[[list], Any]:
    """The function from plain data to a record of ``cls`` (raises ValueError on a bad shape):
    :func:`from_plain`, written out."""
    def decode(data: list) -> Any:
        try:
            return _record_decoder(cls)(data)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            raise ValueError(f"not a plain {cls.__name__}: {exc}") from None
    return decode


def from_dict(cls: type, data: object, *, ignore: frozenset[str] | set[str] = frozenset(), **extra) -> Any:
    """The record of class ``cls`` from a mapping of its field names (as JSON formats such
    as node-link write records), checked against each field's type: text, a list of
    text, a mapping of text, a whole number, a number, nested records. Keys in ``ignore``
    are skipped; ``extra`` fields are set as given (``where``).

    Raises ValueError naming the first field that is missing, unknown or of the wrong type.

    >>> from mechgraph.model import Intervention
    >>> from_dict(Intervention, {"drug": "x", "dose": "1 mg"})
    Intervention(drug='x', dose='1 mg', route='', timing='')
    >>> from_dict(Intervention, {"drug": ["x"]})
    Traceback (most recent call last):
    ValueError: field 'drug' must be text, not a list
    """
    if not isinstance(data, dict):
        raise ValueError(f"a {cls.__name__.lower()} must be a JSON object, not {_kind(data)}")
    checks = _checks(cls)
    values = {}
    for key, value in data.items():
        if key in ignore:
            continue
        if key not in checks:
            raise ValueError(f"unknown field {quote(key)}")
        values[key] = checks[key](key, value)
    missing = [name for name in _required(cls) if name not in values and name not in extra]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(map(quote, missing))}")
    return cls(**values, **extra)


def _kind(value) -> str:
    return {str: "text", list: "a list", dict: "a mapping", bool: "true or false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _checker(annotation) -> Callable[[str, Any], Any]:
    """A function ``(field, value) -> value as the record holds it`` for a field's type;
    it raises ValueError on a value of the wrong type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        inner_check = _checker(inner[0]) if len(inner) == 1 else None
        if inner_check is None:
            raise TypeError(f"no check for {annotation}")
        return lambda name, value: None if value is None else inner_check(name, value)
    if annotation is str or annotation is Any:
        words = "text"
        accepted: tuple = (str,)
    elif annotation is int:
        words, accepted = "a whole number", (int,)
    elif annotation is float:
        words, accepted = "a number", (int, float)
    elif isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return lambda name, value: from_dict(annotation, value)
    elif origin is tuple:
        item = _checker(args[0])

        def check_list(name, value):
            if not isinstance(value, list):
                raise ValueError(f"field {quote(name)} must be a list, not {_kind(value)}")
            return tuple(item(name, v) for v in value)
        return check_list
    elif origin is dict:
        item = _checker(args[1])

        def check_mapping(name, value):
            if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                raise ValueError(f"field {quote(name)} must be a mapping, not {_kind(value)}")
            return {k: item(f"{name}.{k}", v) for k, v in value.items()}
        return check_mapping
    else:
        raise TypeError(f"no check for {annotation}")

    def check(name, value):
        if isinstance(value, bool) or not isinstance(value, accepted):
            raise ValueError(f"field {quote(name)} must be {words}, not {_kind(value)}")
        return float(value) if annotation is float else value
    return check


# -- codecs built from the dataclasses' annotations -----------------------------------------

def _identity(value):
    return value


def _value_encoder(annotation) -> Callable | None:
    """The encoder of a field's type; None where the value passes through as it is."""
    if annotation in _SCALARS or annotation is Any:
        return None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        if all(a in _SCALARS for a in args):
            return None
        raise TypeError(f"no plain form for {annotation}")
    if annotation is model.Where:
        return _where_encoder()
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _record_encoder(annotation)
    if origin is tuple:
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"no plain form for {annotation}")
        encode_item = _value_encoder(args[0])
        return None if encode_item is None else lambda v: [encode_item(x) for x in v]
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"no plain form for {annotation}: keys must be strings")
        encode_value = _value_encoder(args[1])
        return None if encode_value is None else lambda v: {k: encode_value(x) for k, x in v.items()}
    raise TypeError(f"no plain form for {annotation}")


@functools.cache
def _value_decoder(annotation, share: bool = False) -> Callable | None:
    """The decoder of a field's type; None where the value passes through as it is. With
    ``share``, equal values read back are one object (:func:`shared`). One per type: the
    fields of one type share it. A tuple of records builds the records' decoder when the
    first such tuple with records in it is read (most records hold none)."""
    if annotation is str and share:
        return shared
    if annotation in _SCALARS or annotation is Any:
        return None
    if isinstance(annotation, type):  # a class: a record or nothing (it has no parts)
        if annotation is model.Where:
            decode_where = _record_decoder(annotation)
            return lambda v: shared(decode_where(v))
        if dataclasses.is_dataclass(annotation):
            return _record_decoder(annotation)
        raise TypeError(f"no plain form for {annotation}")
    origin, args = _parts(annotation)
    if origin in (types.UnionType, typing.Union):
        if all(a in _SCALARS for a in args):
            return None
        raise TypeError(f"no plain form for {annotation}")
    if origin is tuple:
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"no plain form for {annotation}")
        item = args[0]
        if (item not in _SCALARS and isinstance(item, type) and dataclasses.is_dataclass(item)
                and item is not model.Where and not share):
            return _records_decoder(item)
        decode_item = _value_decoder(item, share) or _identity
        if share:
            return lambda v: shared(tuple(map(decode_item, _list(v))))
        return (lambda v: tuple(map(decode_item, _list(v)))) if decode_item is not _identity else _tuple
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"no plain form for {annotation}: keys must be strings")
        decode_value = _value_decoder(args[1], share)
        return (lambda v: {k: decode_value(x) for k, x in _mapping(v).items()}) if decode_value else _mapping
    raise TypeError(f"no plain form for {annotation}")


def _parts(annotation) -> tuple[Any, tuple]:
    """``(typing.get_origin(annotation), typing.get_args(annotation))``, read straight from
    a ``tuple[...]``, ``dict[...]`` or ``X | Y`` (what the record classes' annotations are)."""
    kind = type(annotation)
    if kind is types.GenericAlias:
        return annotation.__origin__, annotation.__args__
    if kind is types.UnionType:
        return types.UnionType, annotation.__args__
    return typing.get_origin(annotation), typing.get_args(annotation)


def _records_decoder(cls: type) -> Callable[[Any], tuple]:
    """The decoder of a tuple of ``cls`` records, which builds the record decoder on the
    first non-empty tuple."""
    def decode(v) -> tuple:
        values = _list(v)
        if not values:
            return ()
        return tuple(map(_record_decoder(cls), values))
    return decode


def _where_encoder() -> Callable[[Any], list]:
    """The encoder of a location, remembering the last one: the records of one file share
    one location object (a frozen record, held here, so that its identity stays its own)."""
    encode = _record_encoder(model.Where)
    last: list = [None, None]

    def encode_where(where) -> list:
        if where is not last[0]:
            last[:] = where, encode(where)
        return list(last[1])
    return encode_where


def _tuple(value) -> tuple:
    return tuple(_list(value))


def _list(value) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value


#: values read back, shared: the same short text, tuple of texts or file location many
#: records hold is one object in memory (as the readers share them), not one per record
_POOL: dict = {}
#: the most values shared at once (the pool starts afresh when full)
POOL_SIZE = 200_000


def shared(value):
    """One object for equal values read back (texts, tuples of texts, locations: records
    from the cache repeat a few of them millions of times); unhashable values as they are."""
    try:
        found = _POOL.setdefault(value, value)  # one C call, hit or miss (no KeyError raised)
    except TypeError:
        return value
    if len(_POOL) > POOL_SIZE:  # a miss filled it: start afresh with this value
        _POOL.clear()
        _POOL[value] = value
    return found


def _mapping(value) -> dict:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, not {type(value).__name__}")
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """Each field's type: what ``typing.get_type_hints`` gives, for a fraction of its cost
    (the record classes' annotations are a dozen texts from their source, looked up in
    :data:`ANNOTATIONS` or evaluated once in the model's namespace, as ``get_type_hints``
    evaluates them every time)."""
    return {f.name: _annotation(f.type) if isinstance(f.type, str) else f.type for f in dataclasses.fields(cls)}


#: the record classes' annotations (texts: the model is written with ``from __future__ import
#: annotations``) as the types they name. Evaluating a text compiles it, which cost more than
#: the rest of building the first decoders; a text not here is evaluated.
ANNOTATIONS: dict[str, Any] = {
    "str": str, "int": int, "float": float, "int | None": int | None, "float | None": float | None,
    "tuple[str, ...]": tuple[str, ...], "dict[str, str]": dict[str, str], "dict[str, int]": dict[str, int],
    "dict[str, tuple[str, ...]]": dict[str, tuple[str, ...]], "Where": model.Where,
    "tuple[Intervention, ...]": tuple[model.Intervention, ...], "tuple[Quantity, ...]": tuple[model.Quantity, ...]}


@functools.cache
def _annotation(text: str) -> Any:
    if text in ANNOTATIONS:
        return ANNOTATIONS[text]
    return eval(text, vars(model))  # noqa: S307 (an annotation of the model's own source, never data)


#: fields whose values repeat across records (vocabularies, sources, species, drugs, contexts):
#: read back as shared objects
SHARED_FIELDS = frozenset({"type", "predicate", "relation", "kind", "source", "study_type", "direction", "sex",
                           "role", "guidance", "species", "cites", "context", "drug", "route", "unit", "file",
                           "quality_note", "population", "model", "timepoint", "cited_in", "journal"})


@functools.cache
def _encoders(cls: type) -> list[tuple[str, Callable | None]]:
    hints = _hints(cls)
    return [(f.name, _value_encoder(hints[f.name])) for f in dataclasses.fields(cls)]


@functools.cache
def _decoders(cls: type) -> list[tuple[str, Callable | None]]:
    # _hints, written out: one pass over the fields
    hint: Any
    specs = []
    for f in dataclasses.fields(cls):
        hint = _annotation(f.type) if isinstance(f.type, str) else f.type
        specs.append((f.name, _value_decoder(hint, f.name in SHARED_FIELDS)))
    return specs


@functools.cache
def _record_encoder(cls: type) -> Callable[[Any], list]:
    """The encoder of a record class: every field in one C call (``attrgetter``), then
    the nested records (a location, interventions, quantities) encoded in their places;
    an empty tuple of them is written as it is (JSON writes it as the same ``[]``)."""
    specs = _encoders(cls)
    names = [name for name, _ in specs]
    fixes = [(i, encode) for i, (_, encode) in enumerate(specs) if encode is not None]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        def encode_one(record) -> list:
            values = [get(record)]
            for i, fix in fixes:
                values[i] = fix(values[i])
            return values
        return encode_one

    def encode(record) -> list:
        values = list(get(record))
        for i, fix in fixes:
            value = values[i]
            if value != ():
                values[i] = fix(value)
        return values
    return encode


@functools.cache
def _record_decoder(cls: type) -> Callable[[list], Any]:
    """The decoder of a record class. It fills the record's fields as they were written,
    without calling ``__init__`` (as unpickling does): the values were the record's own,
    and a frozen dataclass's ``__init__`` costs as much as the rest of decoding."""
    specs = _decoders(cls)
    names = [name for name, _ in specs]
    size = len(specs)
    fixes = [(i, decode) for i, (_, decode) in enumerate(specs) if decode is not None]
    new = object.__new__

    def decode(data: list):
        if type(data) is not list or len(data) != size:
            raise ValueError(f"expected {size} values")
        values = list(data)
        for i, fix in fixes:
            values[i] = fix(values[i])
        record: Any = new(cls)
        record.__dict__.update(zip(names, values, strict=False))
        return record
    return decode


@functools.cache
def _checks(cls: type) -> dict[str, Callable]:
    hints = _hints(cls)
    return {f.name: _checker(hints[f.name]) for f in dataclasses.fields(cls) if f.name != "where"}


@functools.cache
def _required(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls)
                 if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
