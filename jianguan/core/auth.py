"""Authentication with lockout (等保 2.0 登录失败处理) and bearer tokens for other systems."""
from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.utils import timezone

from . import audit, params
from .crypto import hmac_sm3_hex
from .models import ApiToken, User

TOKEN_PREFIX = "jg_"


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a locked account and counts failures.

    After `security.lockout_threshold` consecutive failures the account is locked for
    `security.lockout_minutes`; a correct password during the lock is refused too. Each lock is audited.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle for usernames
            return None
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            if request is not None:
                request.jianguan_locked_until = user.locked_until
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
                user.failed_logins, user.locked_until = 0, None
            return user
        self._count_failure(user, now, request)
        return None

    @staticmethod
    def _count_failure(user: User, now: dt.datetime, request) -> None:
        threshold = params.get("security.lockout_threshold")
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            locked.failed_logins += 1
            fields = ["failed_logins"]
            if locked.failed_logins >= threshold:
                locked.locked_until = now + dt.timedelta(minutes=params.get("security.lockout_minutes"))
                locked.failed_logins = 0
                fields.append("locked_until")
                audit.record(
                    actor=None, action="account.locked", obj=locked,
                    after={"locked_until": audit._json_value(User._meta.get_field("locked_until"), locked.locked_until)},
                    note=f"连续 {threshold} 次登录失败",
                )
                if request is not None:
                    request.jianguan_locked_until = locked.locked_until
            locked.save(update_fields=fields)


def token_digest(token: str) -> str:
    from django.conf import settings

    return hmac_sm3_hex(settings.JIANGUAN_LOOKUP_KEY, "api-token:" + token)


def new_token_string() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def user_for_token(token: str) -> User | None:
    """The active user behind a bearer token, or None for a malformed, unknown, expired or revoked one."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=token_digest(token), revoked_at__isnull=True).first()
    if row is None:
        return None
    now = timezone.now()
    if row.expires_at and row.expires_at <= now:
        return None
    if not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)  # bounded write rate
    return row.user
