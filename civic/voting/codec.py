"""Dataclasses to JSON and back, exactly: Decimals and Fractions as strings, enums as their values."""
from __future__ import annotations

import dataclasses
import enum
import types
import typing
from decimal import Decimal
from fractions import Fraction
from functools import cache


def encode(value):  # noqa: ANN001, ANN201
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("json", True)}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (Decimal, Fraction)):
        return str(value)
    return value


@cache
def _hints(cls: type) -> dict:
    return typing.get_type_hints(cls)


def decode(hint, data):  # noqa: ANN001, ANN201
    """Rebuild a value of the annotated type `hint` from its JSON form."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _decode_union(typing.get_args(hint), data)
    if origin in (list, tuple):
        args = typing.get_args(hint)
        items = [decode(args[0], v) for v in data]
        return items if origin is list else tuple(items)
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        fields = [f for f in dataclasses.fields(hint) if f.init and f.metadata.get("json", True)]
        return hint(**{f.name: decode(hints[f.name], data[f.name]) for f in fields if f.name in data})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(data)
    if hint in (Decimal, Fraction):
        return hint(data)
    return data


def _decode_union(args: tuple, data):  # noqa: ANN001, ANN202
    if data is None:
        return None
    kinds = [a for a in args if a is not type(None)]
    if isinstance(data, str):
        # "Decimal | int" numbers are stored as strings only when they were Decimals
        exact = [a for a in kinds if a in (Decimal, Fraction)]
        return decode(exact[0], data) if exact else data
    if isinstance(data, dict):
        return decode(next(a for a in kinds if dataclasses.is_dataclass(a)), data)
    return decode(kinds[0], data) if len(kinds) == 1 else data
