"""Domain errors shared by every app's client; the API turns each into its HTTP status."""


class DomainError(Exception):
    status_code = 400
    default_detail = "The request cannot be carried out."

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


class InvalidRequest(DomainError):
    status_code = 400


class Forbidden(DomainError):
    status_code = 403
    default_detail = "You may not do this."


class NotFound(DomainError):
    status_code = 404
    default_detail = "Not found."


class Conflict(DomainError):
    status_code = 409
    default_detail = "The request conflicts with the current state."


class PaymentDeclined(DomainError):
    status_code = 402
    default_detail = "The payment was declined."


class Unprocessable(DomainError):
    status_code = 422


class Unavailable(DomainError):
    status_code = 503
    default_detail = "A service the shop depends on is unavailable; please try again shortly."


BY_STATUS: dict[int, type[DomainError]] = {
    cls.status_code: cls for cls in (InvalidRequest, Forbidden, NotFound, Conflict, PaymentDeclined, Unprocessable)
}
