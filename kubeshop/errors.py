"""Domain errors shared by every app's client; the API turns each into its HTTP status.

An app's rule gets its own subclass of one of these, named by a `code` and carrying structured fields,
its annotated attributes: `class InsufficientStock(Conflict, code="insufficient_stock")`. The API writes
them into the JSON body beside `detail`, and the transport turns a peer's answer back into the same class
by its `code`. The status of every error is decided here, by the generic class it extends.
"""

import inspect
from typing import Any, ClassVar

from kubeshop.wire import camel

_BY_CODE: dict[str, type["DomainError"]] = {}


class DomainError(Exception):
    status_code = 400
    code: ClassVar[str] = ""  # a rule's class names itself (`code=`); the generic classes answer with `detail` only
    default_detail = "The request cannot be carried out."
    fields: ClassVar[tuple[str, ...]] = ()  # structured details a rule's class carries: its annotated attributes

    def __init_subclass__(cls, *, status: int | None = None, code: str = "", detail: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.status_code = status or cls.status_code
        cls.code = code
        cls.default_detail = detail or cls.default_detail
        cls.fields = (*cls.fields, *inspect.get_annotations(cls))
        if code:
            _BY_CODE[code] = cls

    def __init__(self, detail: str | None = None, **fields: Any):
        unknown = set(fields) - set(self.fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        for name in self.fields:
            setattr(self, name, fields.get(name))
        self.detail = detail or self.default_detail
        super().__init__(self.detail)

    def body(self) -> dict[str, Any]:
        """The JSON an API answers with: `detail`, and a rule's `code` and fields in wire (camelCase) names."""
        if not self.code:
            return {"detail": self.detail}
        return {"detail": self.detail, "code": self.code, **{camel(n): getattr(self, n) for n in self.fields}}


def from_body(status: int, body: Any) -> DomainError:
    """The error a peer answered with: its own class when its `code` is known here, else its status's class."""
    body = body if isinstance(body, dict) else {}
    cls = _BY_CODE.get(body.get("code") or "")
    if cls is None or cls.status_code != status:
        return BY_STATUS.get(status, InvalidRequest)(body.get("detail"))
    fields = {n: body.get(camel(n)) for n in cls.fields}
    return cls(body.get("detail"), **fields)


# The generic classes: a rule's class extends the one whose status it answers with.
class InvalidRequest(DomainError, status=400): ...


class Forbidden(DomainError, status=403, detail="You may not do this."): ...


class NotFound(DomainError, status=404, detail="Not found."): ...


class Conflict(DomainError, status=409, detail="The request conflicts with the current state."): ...


class PaymentDeclined(DomainError, status=402, detail="The payment was declined."): ...


class Unprocessable(DomainError, status=422): ...


class Unavailable(
    DomainError, status=503, detail="A service the shop depends on is unavailable; please try again shortly."
): ...


BY_STATUS: dict[int, type[DomainError]] = {
    cls.status_code: cls for cls in (InvalidRequest, Forbidden, NotFound, Conflict, PaymentDeclined, Unprocessable)
}
