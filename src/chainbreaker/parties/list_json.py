"""A loaded list to and from plain JSON values, exactly (the store's prepared copies).

The models are frozen dataclasses of strings, numbers, booleans, tuples and other dataclasses.
A dataclass becomes a JSON array of its fields in order (compact and quick to read), the fields
at the end that hold their defaults left out; a tuple becomes an array. Decoding reads the field
types from the classes' annotations, so a field added to the models is carried without a change
here. Arrays are positional: the store's key includes the models' source code, so a copy written
before the models changed is never read back.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

from chainbreaker.parties.models import ListedEntity, ListInfo, LoadedList, LoadProblem

__all__ = ["decode_list", "encode_list"]

_Decode = Callable[[Any], Any]


def encode_list(loaded: LoadedList) -> dict[str, Any]:
    """The list as JSON-able values."""
    return {
        "info": _encode(loaded.info),
        "entities": [_encode(e) for e in loaded.entities],
        "problems": [_encode(p) for p in loaded.problems],
    }


def decode_list(doc: dict[str, Any]) -> LoadedList:
    """The inverse of `encode_list`; raises KeyError/TypeError/ValueError on a damaged doc."""
    entity = _decoder(ListedEntity)
    problem = _decoder(LoadProblem)
    return LoadedList(
        info=_decoder(ListInfo)(doc["info"]),
        entities=[entity(e) for e in doc["entities"]],
        problems=[problem(p) for p in doc["problems"]],
    )


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        defaults = _defaults(type(value))
        row = [_encode(getattr(value, name)) for name, _ in defaults]
        while row and row[-1] == defaults[len(row) - 1][1]:
            row.pop()  # trailing fields at their defaults are left out
        return row
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


@functools.cache
def _defaults(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """(field name, JSON form of its default or a sentinel) for each field, in order."""
    out = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = _REQUIRED
        out.append((f.name, _encode(default)))
    return tuple(out)


class _Required:
    """A default no value equals: required fields are always written."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


_REQUIRED = _Required()


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _decoder(tp: Any) -> _Decode:
    """A function turning the JSON form of type `tp` back into a value of that type."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        steps = [(i, _decoder(hints[f.name])) for i, f in enumerate(dataclasses.fields(tp))]
        convert = [(i, fn) for i, fn in steps if fn is not _identity]

        def decode_dataclass(row: list[Any]) -> Any:
            args = list(row)
            size = len(args)
            for i, fn in convert:
                if i < size:
                    args[i] = fn(args[i])
            return tp(*args)

        return decode_dataclass
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _identity:
                return tuple
            return lambda values: tuple(map(item, values)) if values else ()
        parts = tuple(_decoder(a) for a in args)
        if all(fn is _identity for fn in parts):
            return tuple
        return lambda values: tuple(fn(v) for fn, v in zip(parts, values, strict=True))
    if origin is list:
        item = _decoder(args[0])
        return lambda values: [item(v) for v in values]
    if origin in (typing.Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        if len(present) == 1:
            inner = _decoder(present[0])
            if inner is _identity:
                return _identity
            return lambda value: None if value is None else inner(value)
        return _identity
    return _identity  # str, int, float, bool, Literal[...]
