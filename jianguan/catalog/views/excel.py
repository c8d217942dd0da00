"""Excel templates and imports of the catalogue, implementation lists, guidelines and plan rows."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jianguan.core.errors import DomainError
from jianguan.core.navigation import MANAGERS
from jianguan.core.views import apply_form_error, role_required

from .. import excel, services
from ..forms import ImportForm
from ._shared import xlsx_bytes_response

EXAMPLES = {
    "items": {"code": "11140430001001", "name": "食品经营者监督检查", "department": "沁县市场监督管理局", "level": "county",
              "field": "food_drug", "supervision_object": "食品经营者", "scope": "辖区内食品经营者",
              "legal_basis": "《中华人民共和国食品安全法》第八十七条；《食品生产经营监督检查管理办法》第十条",
              "method": "双随机抽查", "category": "key", "random_check": "是", "approval_to_filing": "否",
              "responsible_leader": "", "handling_unit": "", "handling_staff": "", "status": "active",
              "effective_from": "2026-01-01", "reason": "", "reason_note": ""},
    "impl": {"code": "11140430001001001", "item_code": "11140430001001", "name": "食品销售者日常监督检查", "agency": "",
             "check_object": "食品销售者", "method": "onsite", "frequency": "每年不少于1次",
             "check_points": "经营许可证是否在有效期内｜《食品经营许可和备案管理办法》\n从业人员健康证明\n进货查验记录",
             "basis": "《中华人民共和国食品安全法》第八十七条", "result_handling": "发现问题责令改正；涉嫌违法的立案查处",
             "status": "active", "effective_from": "2026-01-01", "reason": "", "reason_note": ""},
    "guidelines": {"item_code": "11140430001001", "item_name": "食品经营者监督检查", "content": "许可证照、人员健康、进货查验、贮存条件",
                   "method": "现场检查、查阅资料", "basis": "《中华人民共和国食品安全法》", "result_handling": "责令改正；立案查处"},
    "plans": {"year": 2026, "department": "", "item_code": "11140430001001", "item_name": "食品经营者监督检查",
              "object_scope": "辖区内食品销售者", "category": "key", "ratio": 20, "frequency": 1, "period_start": "2026-07-01",
              "period_end": "2026-12-31", "method": "onsite", "cooperating_departments": "", "note": ""},
}


def _kind(kind: str) -> tuple[str, list]:
    if kind not in excel.KINDS:
        raise Http404()
    return excel.KINDS[kind]


@role_required(*MANAGERS)
def template_download(request, kind: str):
    title, columns = _kind(kind)
    row = excel.labelled(columns, EXAMPLES[kind])
    return xlsx_bytes_response(_("%(t)s导入模板.xlsx") % {"t": title}, excel.workbook(kind, [row], with_help=True))


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def import_view(request, kind: str):
    title, columns = _kind(kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.IMPORTERS[kind](actor=request.user, fileobj=form.cleaned_data["file"])
        except DomainError as exc:
            apply_form_error(form, exc)
    return render(request, "catalog/import.html", {"kind": kind, "title": title, "columns": columns, "form": form, "result": result})
