"""Request context for the audit chain and logs, and the security headers of every response."""
from __future__ import annotations

import logging
import re
import uuid

from .context import client_ip_var, request_id_var

_RID_RE = re.compile(r"^[A-Za-z0-9_.-]{8,40}$")


class RequestContextMiddleware:
    """Gives every request an id (or keeps a well-formed X-Request-ID from the proxy) and remembers the client IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _RID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        t1 = request_id_var.set(rid)
        t2 = client_ip_var.set(request.META.get("REMOTE_ADDR", "")[:45])
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(t1)
            client_ip_var.reset(t2)
        response["X-Request-ID"] = rid
        return response


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: every page loads only from this host (intranet, no CDN)."""

    POLICY = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get() or "-"
        return True


class PasswordChangeRequiredMiddleware:
    """An account with a temporary or expired password may only change it (等保: 初始口令须修改)."""

    EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            from django.shortcuts import redirect
            from django.urls import reverse

            from .services import password_expired

            allowed = {reverse("core:password_change"), reverse("core:logout")}
            if request.path not in allowed and password_expired(user):
                return redirect("core:password_change")
        return self.get_response(request)


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language with the switch (cookie).

    Government staff share browsers of every language setting; the UI must not turn English because a
    browser says so. Replaces Django's LocaleMiddleware, which follows Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
