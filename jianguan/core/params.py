"""Runtime rule parameters: numbers the law or a province sets, versioned by effective date.

Apps declare their parameters with `register(ParamSpec(...))` (core's own are below); the platform
owner adds versions through services.parameter_set. `get(key, at=date)` returns the value in force on
that date: the newest version whose effective date is not after it, else the declared default.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .errors import DomainError


@dataclass(frozen=True)
class ParamSpec:
    key: str
    label: str
    kind: str  # "int" | "decimal" | "bool" | "str"
    default: Any
    unit: str = ""
    citation: str = ""
    minimum: float | None = None
    maximum: float | None = None
    group: str = field(default="")


REGISTRY: dict[str, ParamSpec] = {}


def register(spec: ParamSpec) -> ParamSpec:
    REGISTRY[spec.key] = spec
    return spec


def spec_for(key: str) -> ParamSpec:
    try:
        return REGISTRY[key]
    except KeyError:
        raise DomainError(_("未知的运行参数“%(key)s”") % {"key": key}, field="key", code="unknown_param") from None


def coerce(spec: ParamSpec, raw: Any) -> Any:
    """Turn input into the parameter's type, enforcing its range; the error names the rule."""
    try:
        if spec.kind == "int":
            if isinstance(raw, bool):
                raise ValueError
            value: Any = int(str(raw).strip())
        elif spec.kind == "decimal":
            value = str(decimal.Decimal(str(raw).strip()))
            if not decimal.Decimal(value).is_finite():
                raise ValueError
        elif spec.kind == "bool":
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in {"1", "true", "是", "yes", "on"}:
                value = True
            elif str(raw).strip().lower() in {"0", "false", "否", "no", "off"}:
                value = False
            else:
                raise ValueError
        else:
            value = str(raw).strip()
            if not value:
                raise ValueError
    except (ValueError, decimal.InvalidOperation):
        raise DomainError(
            _("参数“%(label)s”的取值“%(raw)s”不是有效的%(kind)s") % {"label": spec.label, "raw": raw, "kind": _kind_label(spec.kind)},
            field="value",
            code="param_type",
        ) from None
    numeric = float(value) if spec.kind in ("int", "decimal") else None
    if numeric is not None and spec.minimum is not None and numeric < spec.minimum:
        raise DomainError(
            _("参数“%(label)s”不得小于 %(min)s%(unit)s") % {"label": spec.label, "min": spec.minimum, "unit": spec.unit},
            field="value",
            code="param_range",
        )
    if numeric is not None and spec.maximum is not None and numeric > spec.maximum:
        raise DomainError(
            _("参数“%(label)s”不得大于 %(max)s%(unit)s") % {"label": spec.label, "max": spec.maximum, "unit": spec.unit},
            field="value",
            code="param_range",
        )
    return value


def _kind_label(kind: str) -> str:
    return {"int": _("整数"), "decimal": _("数值"), "bool": _("是/否"), "str": _("文本")}.get(kind, kind)


def get(key: str, at: dt.date | None = None) -> Any:
    from .models import Parameter

    spec = spec_for(key)
    at = at or timezone.localdate()
    version = Parameter.objects.filter(key=key, effective_from__lte=at).order_by("-effective_from").first()
    value = version.value if version is not None else spec.default
    if spec.kind == "decimal":
        return decimal.Decimal(str(value))
    return value


# --- Core's own parameters --------------------------------------------------------------------------------
register(ParamSpec("security.lockout_threshold", _lazy("连续登录失败锁定次数"), "int", 5, _lazy("次"),
                   _lazy("GB/T 22239-2019 8.1.4.1 身份鉴别：应具有登录失败处理功能"), 3, 10, _lazy("安全")))
register(ParamSpec("security.lockout_minutes", _lazy("登录锁定时长"), "int", 30, _lazy("分钟"),
                   _lazy("GB/T 22239-2019 8.1.4.1 身份鉴别"), 5, 1440, _lazy("安全")))
register(ParamSpec("security.password_max_age_days", _lazy("密码最长使用期限"), "int", 90, _lazy("天"),
                   _lazy("GB/T 22239-2019 8.1.4.1：口令应定期更换"), 30, 365, _lazy("安全")))
register(ParamSpec("deadline.penalty_publicity", _lazy("行政处罚信息公示期限"), "int", 20, _lazy("个工作日"),
                   _lazy("市场监督管理行政处罚信息公示规定（总局令第45号）"), 1, 60, _lazy("期限")))
register(ParamSpec("deadline.penalty_withdrawal", _lazy("处罚决定变更后撤下公示期限"), "int", 3, _lazy("个工作日"),
                   _lazy("市场监督管理行政处罚信息公示规定（总局令第45号）；行政处罚法 第四十八条"), 1, 10, _lazy("期限")))
register(ParamSpec("deadline.inspection_result_publicity", _lazy("抽查检查结果公示期限"), "int", 20, _lazy("个工作日"),
                   _lazy("“双随机、一公开”监管：谁检查、谁录入、谁公开"), 1, 60, _lazy("期限")))
register(ParamSpec("deadline.decision_service", _lazy("处罚决定书送达期限"), "int", 7, _lazy("个工作日"),
                   _lazy("行政处罚法 第六十一条、第八十五条"), 1, 30, _lazy("期限")))
register(ParamSpec("deadline.complaint_acceptance", _lazy("投诉受理决定期限"), "int", 7, _lazy("个工作日"),
                   _lazy("市场监督管理投诉举报处理暂行办法"), 1, 30, _lazy("期限")))
register(ParamSpec("deadline.penalty_decision", _lazy("立案后作出处罚决定期限"), "int", 90, _lazy("日"),
                   _lazy("行政处罚法 第六十条"), 30, 365, _lazy("期限")))
