"""Per-request context (request id, client address) for the audit chain and the logs.

Set by RequestContextMiddleware; management commands and tasks get a generated request id.
"""
from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("jianguan_request_id", default="")
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("jianguan_client_ip", default="")


def current_request_id() -> str:
    rid = request_id_var.get()
    if not rid:
        rid = "cli-" + uuid.uuid4().hex[:12]
        request_id_var.set(rid)
    return rid


def current_ip() -> str:
    return client_ip_var.get()
