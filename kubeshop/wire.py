"""How a seam's dataclass is written as JSON: the dataclass is the shape, read in both directions.

An app's `data.py` declares each type's wire form once, `ORDER = Wire(OrderInfo, camel_case=True)`: every
field of the dataclass, in its order, under its name (or its camelCase name: `order_id` is `orderId`), but
for the few `renamed`. Its views answer with `ORDER.to_wire(info)`, its client reads a peer's answer with
`ORDER.from_wire(fields)`, and the OpenAPI schema comes from the same declaration
(`kubeshop.api.response_schema`). Values follow the annotations, as DRF writes them: a Decimal is money, a
string with two decimals ("12.50"); a datetime is ISO 8601 in UTC with a "Z"; a `Literal` is one of its
strings; `X | None` may be null; a `tuple[D, ...]` of a dataclass D is an array of D, named the same way,
and a `tuple[str, ...]` (of any plain type above) an array of those values.
No Django here: data.py modules import this.
"""

import re
import types
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
CENT = Decimal("0.01")


def camel(name: str) -> str:
    """`order_id` -> `orderId`: the API's wire names."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def _money_to_wire(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT):f}"


def _time_to_wire(value: datetime) -> str:
    text = (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# by annotation: (to the wire, from the wire)
CONVERTERS: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    Decimal: (_money_to_wire, lambda text: Decimal(str(text))),
    datetime: (_time_to_wire, datetime.fromisoformat),
    str: (str, str),
    int: (int, int),
    bool: (bool, bool),
}


@dataclass(frozen=True)
class WireField:
    wire_name: str
    attribute: str
    type: type  # the annotation without `| None`; str for a Literal
    nullable: bool
    choices: tuple[str, ...]  # a Literal's strings
    nested: "Wire | None"  # for an array of a dataclass
    many: bool  # an array: of `nested`, or of plain values of `type`
    default: Any  # what a missing key reads as (the dataclass field's default), or MISSING: the key is required


def _strip_none(annotation) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(get_args(annotation))
    return annotation, False


def from_attributes(cls: type[T], obj: Any, /, **values: Any) -> T:
    """Dataclass `cls` from the attributes of the same names of `obj` (a model), but for the `values` given."""
    return cls(**{f.name: values[f.name] if f.name in values else getattr(obj, f.name) for f in fields(cls)})


class Wire(Generic[T]):
    """The wire form of dataclass `cls`: its fields in order, under their own or camelCase names."""

    def __init__(self, cls: type[T], *, camel_case: bool = False, renamed: dict[str, str] | None = None) -> None:
        self.cls = cls
        hints = get_type_hints(cls)
        self.fields: list[WireField] = []
        for f in fields(cls):
            kind, nullable = _strip_none(hints[f.name])
            choices = get_args(kind) if get_origin(kind) is Literal else ()
            item = get_args(kind)[0] if get_origin(kind) is tuple else None
            nested = Wire(item, camel_case=camel_case) if is_dataclass(item) else None
            if choices:
                kind = str
            elif item is not None and nested is None:
                kind = item  # an array of plain values
            if nested is None and kind not in CONVERTERS:
                raise TypeError(f"{cls.__name__}.{f.name}: no wire form for {kind!r}")
            wire_name = (renamed or {}).get(f.name) or (camel(f.name) if camel_case else f.name)
            self.fields.append(
                WireField(wire_name, f.name, kind, nullable, choices, nested, item is not None, f.default)
            )

    def to_wire(self, obj: T) -> dict[str, Any]:
        """The JSON object the API writes for `obj`."""
        return {f.wire_name: self._value_to_wire(f, getattr(obj, f.attribute)) for f in self.fields}

    def from_wire(self, data: dict[str, Any]) -> T:
        """The dataclass a peer's JSON object stands for; a key the dataclass gives a default may be missing."""
        values = {}
        for f in self.fields:
            if f.wire_name in data:
                values[f.attribute] = self._value_from_wire(f, data[f.wire_name])
            elif f.default is MISSING:
                raise KeyError(f.wire_name)
        return self.cls(**values)

    @staticmethod
    def _value_to_wire(f: WireField, value: Any) -> Any:
        if value is None:
            return None
        if f.nested:
            return [f.nested.to_wire(item) for item in value]
        if f.many:
            return [CONVERTERS[f.type][0](item) for item in value]
        return CONVERTERS[f.type][0](value)

    @staticmethod
    def _value_from_wire(f: WireField, value: Any) -> Any:
        if value is None:
            return None
        if f.nested:
            return tuple(f.nested.from_wire(item) for item in value)
        if f.many:
            return tuple(CONVERTERS[f.type][1](item) for item in value)
        return CONVERTERS[f.type][1](value)
