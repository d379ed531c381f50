"""How a seam's dataclass is written as JSON: one declaration per type, read in both directions.

An app's `data.py` declares each type's wire shape once, `ORDER = Wire(OrderInfo, orderId="order_id", …)`;
its views answer with `ORDER.to_wire(info)`, its client reads a peer's answer with `ORDER.from_wire(fields)`,
and the OpenAPI schema is derived from the same declaration (`kubeshop.api.response_schema`).
Values follow the dataclass's annotations, as DRF writes them: a Decimal is money, a string with two
decimals ("12.50"); a datetime is ISO 8601 in UTC with a "Z"; a `Literal` is one of its strings; `X | None`
may be null; a nested Wire is an array of that type. No Django here: data.py modules import this.
"""

import types
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
CENT = Decimal("0.01")


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
    type: type  # the annotation without `| None`
    nullable: bool
    nested: "Wire | None"
    choices: tuple[str, ...]  # a Literal's strings
    default: Any  # what a missing key reads as (the dataclass field's default), or MISSING: the key is required


def _strip_none(annotation) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(get_args(annotation))
    return annotation, False


class Wire(Generic[T]):
    """The wire shape of dataclass `cls`: each wire name, in the order the API writes it, and its attribute.

    A name given a Wire instead of an attribute name is an array of that Wire's type in the attribute of
    the same name (a tuple in the dataclass).
    """

    def __init__(self, cls: type[T], /, **names: "str | Wire") -> None:
        self.cls = cls
        hints = get_type_hints(cls)
        defaults = {f.name: f.default for f in fields(cls)}
        self.fields: list[WireField] = []
        for wire_name, target in names.items():
            nested = target if isinstance(target, Wire) else None
            attribute = wire_name if nested else target
            kind, nullable = _strip_none(hints[attribute])
            choices = get_args(kind) if get_origin(kind) is Literal else ()
            kind = str if choices else kind
            if nested is None and kind not in CONVERTERS:
                raise TypeError(f"{cls.__name__}.{attribute}: no wire form for {kind!r}")
            self.fields.append(WireField(wire_name, attribute, kind, nullable, nested, choices, defaults[attribute]))

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
        return CONVERTERS[f.type][0](value)

    @staticmethod
    def _value_from_wire(f: WireField, value: Any) -> Any:
        if value is None:
            return None
        if f.nested:
            return tuple(f.nested.from_wire(item) for item in value)
        return CONVERTERS[f.type][1](value)
