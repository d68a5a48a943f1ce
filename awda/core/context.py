"""The current request's identity (request id, client address, actor), available to audit and logs."""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "awda_request_context", default=None
)


def current() -> RequestContext | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(context: RequestContext) -> Iterator[RequestContext]:
    """Bind a context for the duration of a request, a task or a command."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record, so log lines can be matched with audit rows."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _current.get()
        record.request_id = ctx.request_id if ctx else "-"
        return True
