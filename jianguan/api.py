"""The JSON API at /api/v1/: one NinjaAPI, each app adds its Router; one error shape for every 4xx.

Error shape: {"code": "...", "message": "中文说明", "field": "name-or-null", "errors": [...]}.
Authentication: `Authorization: Bearer jg_...` for systems, or the browser session (with CSRF on writes).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from jianguan.core.auth import user_for_token
from jianguan.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    """Session auth (CSRF-checked on writes by ninja) that refuses deactivated accounts."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="监管 Jianguan API",
    version="1",
    description="事中事后监管平台接口。认证：Authorization: Bearer <令牌>（由 `jianguan token create 用户名` 签发），或浏览器会话（写操作需 CSRF 令牌）。",
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
)


def error_body(code: str, message: str, field: str | None = None, errors: list | None = None) -> dict:
    return {"code": code, "message": message, "field": field, "errors": errors or []}


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "string_too_long": "超过最大长度",
    "string_too_short": "长度不足",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数值",
    "decimal_parsing": "应为数值",
    "bool_parsing": "应为是/否",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "enum": "不在允许的取值范围内",
    "literal_error": "不在允许的取值范围内",
    "json_invalid": "请求体不是有效的 JSON",
    "extra_forbidden": "不允许的字段",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_type": "应为文本",
    "value_error": "取值无效",
}


def _field_of(loc) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data", "form")]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for err in exc.errors:
        field = _field_of(err.get("loc", ()))
        kind = err.get("type", "value_error")
        text = _PYDANTIC_MESSAGES.get(kind, "取值无效")
        ctx = err.get("ctx") or {}
        if kind == "string_too_long" and "max_length" in ctx:
            text = f"超过最大长度 {ctx['max_length']}"
        if kind == "value_error" and err.get("msg"):
            text = str(err["msg"]).removeprefix("Value error, ")
        errors.append({"field": field, "message": f"字段“{field}”{text}" if field else text, "type": kind})
    first = errors[0] if errors else {"field": None, "message": "请求数据无效"}
    return api.create_response(request, error_body("validation_error", first["message"], first["field"], errors), status=400)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.field), status=exc.status)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    err = DomainError.from_validation_error(exc)
    return api.create_response(request, error_body(err.code, err.message, err.field), status=400)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, error_body("unauthenticated", "未登录，或令牌无效、已过期、已吊销"), status=401)


@api.exception_handler(AuthorizationError)
def on_authorization_error(request, exc):
    return api.create_response(request, error_body("permission_denied", "无权执行此操作"), status=403)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, error_body("permission_denied", str(exc) or "无权执行此操作"), status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not_found", "未找到该对象，或您无权查看"), status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed",
            409: "conflict", 413: "too_large", 429: "throttled"}.get(exc.status_code, "error")
    message = str(exc)
    if exc.status_code == 400 and "parse" in message.lower():
        code, message = "validation_error", "请求体不是有效的 JSON"
    elif "CSRF" in message:
        code, message = "csrf_failed", "CSRF 校验失败：请刷新页面后重试，或改用 Bearer 令牌调用接口"
    return api.create_response(request, error_body(code, message), status=exc.status_code)


def _register_routers() -> None:
    from jianguan.catalog.api import router as catalog_router
    from jianguan.core.api import router as core_router
    from jianguan.credit.api import router as credit_router
    from jianguan.duties.api import router as duties_router
    from jianguan.entities.api import router as entities_router
    from jianguan.inspections.api import router as inspections_router
    from jianguan.records.api import router as records_router

    api.add_router("/", core_router)
    api.add_router("/", entities_router)
    api.add_router("/", records_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/duties", duties_router)
    api.add_router("/", credit_router)
    api.add_router("/", inspections_router)


_register_routers()
