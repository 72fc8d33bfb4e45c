"""Business logic of the quiz app: one module per noun, functions named
``<noun>_<verb>`` with keyword-only arguments. Views validate, call one
service and serialize; services raise :class:`ServiceError` for refusals."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a stable code (docs/protocol.md, Error codes) and its HTTP status."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class NotFound(ServiceError):
    def __init__(self, message: str = "not found") -> None:
        super().__init__("not_found", message, status=404)
