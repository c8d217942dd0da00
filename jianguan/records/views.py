"""Thin HTML views of the records app: record list and detail, the 待匹配 queue, imports with progress, exports."""
from __future__ import annotations

import csv
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jianguan.core import audit
from jianguan.core.errors import DomainError
from jianguan.core.exports import XLSX_TYPE, xlsx_response
from jianguan.core.navigation import ALL_STAFF, MANAGERS
from jianguan.core.pagination import paginate
from jianguan.core.pii import mask_id_number
from jianguan.core.views import role_required
from jianguan.entities.selectors import entities_for

from . import exports, selectors, services
from .choices import JobChannel
from .formats import FORMATS, get_format
from .forms import ExportForm, ImportForm, MatchForm, RecordFilterForm
from .kinds import KIND_FIELDS


def home_section(request):
    user = request.user
    if not user.is_authenticated or user.is_enterprise:
        return None
    count = selectors.pending_count(user=user)
    return {"title": _("数据归集"), "items": [{"label": _("待匹配记录 %(n)d 条") % {"n": count}, "url": reverse("records:pending")}]
            if count else [], "empty": _("没有待匹配的记录。")}


@role_required(*ALL_STAFF)
def record_list(request):
    form = RecordFilterForm(request.GET or None)
    params = {}
    if form.is_bound and form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
    qs = selectors.record_list(user=request.user, **params)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_("监管记录.xlsx"), _("监管记录"),
                             [_("类别"), _("发生日期"), _("行政相对人名称"), _("统一社会信用代码"), _("部门"), _("事项"), _("摘要"),
                              _("金额（元）"), _("来源系统"), _("来源记录ID"), _("匹配状态"), _("状态")],
                             ((r.get_kind_display(), r.occurred_on, r.party_name, r.uscc, r.department.name, r.title, r.summary,
                               r.amount, r.source_system, r.source_id, r.get_match_status_display(), r.get_status_display())
                              for r in qs[:exports.EXPORT_LIMIT].iterator(chunk_size=2000)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/record_list.html", {"form": form, "page": paginate(request, qs), "query": query.urlencode(),
                                                        "export_form": ExportForm()})


def _labels(kind: str) -> dict[str, str]:
    labels = {f.key: f.label for f in KIND_FIELDS[kind]}
    for fmt in FORMATS.values():
        if fmt.kind == kind:
            for f in fmt.fields:
                labels.setdefault(f.key, f.label)
    return labels


@role_required(*ALL_STAFF)
def record_detail(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    labels = _labels(record.kind)
    fields = [(labels.get(k, k), "、".join(v) if isinstance(v, list) else v) for k, v in record.payload.items()]
    return render(request, "records/record_detail.html", {
        "r": record, "fields": fields, "party_id_masked": mask_id_number(record.party_id_number),
        "match_form": MatchForm() if record.entity_id is None else None,
    })


@role_required(*ALL_STAFF)
@require_POST
def record_match(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    form = MatchForm(request.POST)
    if form.is_valid():
        entity = entities_for(request.user).filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
        if entity is None:
            messages.error(request, _("主体库中没有该统一社会信用代码，请先新增主体"))
        else:
            try:
                services.record_match(actor=request.user, record=record, entity=entity, reason=form.cleaned_data["reason"])
                messages.success(request, _("已关联到“%(n)s”") % {"n": entity.name})
            except DomainError as exc:
                messages.error(request, exc.message)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/records/") else
                    reverse("records:record_detail", args=[record.pk]))


@role_required(*ALL_STAFF)
def pending(request):
    records = selectors.pending_records(user=request.user)
    licences = selectors.pending_licences(user=request.user)
    return render(request, "records/pending.html", {"page": paginate(request, records), "licences": licences[:200],
                                                    "licence_count": licences.count(), "match_form": MatchForm()})


@role_required(*ALL_STAFF)
@require_POST
def pending_licence_match(request, pk: int):
    pending = selectors.pending_licences(user=request.user).filter(pk=pk).first()
    if pending is None:
        raise Http404()
    form = MatchForm(request.POST)
    if form.is_valid():
        entity = entities_for(request.user).filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
        if entity is None:
            messages.error(request, _("主体库中没有该统一社会信用代码，请先新增主体"))
        else:
            try:
                services.pending_licence_match(actor=request.user, pending=pending, entity=entity)
                messages.success(request, _("许可已归入“%(n)s”") % {"n": entity.name})
            except DomainError as exc:
                messages.error(request, exc.message)
    return redirect("records:pending")


# --- imports ----------------------------------------------------------------------------------------------------------


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def import_page(request):
    services.import_jobs_recover()
    form = ImportForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(actor=request.user, format=form.cleaned_data["format"], channel=JobChannel.UI,
                                             file_name=form.cleaned_data["file"].name, upload=form.cleaned_data["file"],
                                             department=form.cleaned_data.get("department"))
            services.import_start_background(job.pk)
        except DomainError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
        else:
            return redirect("records:import_job", pk=job.pk)
    return render(request, "records/import.html", {"form": form, "formats": FORMATS.values(),
                                                   "jobs": selectors.job_list(user=request.user)[:20]})


@role_required(*MANAGERS)
def import_job(request, pk: int):
    job = services.import_job_status(actor=request.user, job_id=pk)
    template = "records/_job_progress.html" if request.htmx else "records/import_job.html"
    return render(request, template, {"job": job})


@role_required(*MANAGERS)
@require_POST
def import_retry(request, pk: int):
    """Import the stored file of a failed job again, as a new job (what had landed stays, once)."""
    try:
        job = services.import_job_retry(actor=request.user, job_id=pk)
        services.import_start_background(job.pk)
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        messages.error(request, exc.message)
        return redirect("records:import_job", pk=pk)
    messages.success(request, _("已重新提交导入，已入库的记录不会重复"))
    return redirect("records:import_job", pk=job.pk)


@role_required(*MANAGERS)
def import_report(request, pk: int):
    """The rejected rows of an import as Excel: row number, field and reason in Chinese, then the row as sent."""
    job = selectors.job_get(user=request.user, pk=pk)
    path = services.import_report_path(job)
    if path is None:
        raise Http404()

    def rows():
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            yield from reader

    with open(path, encoding="utf-8-sig", newline="") as fh:
        headers = next(csv.reader(fh))
    return xlsx_response(_("导入拒收明细-%(id)s.xlsx") % {"id": job.pk}, _("拒收明细"), headers, rows())


@role_required(*ALL_STAFF)
def import_template(request, format: str):
    try:
        fmt = get_format(format)
    except DomainError:
        raise Http404() from None
    response = HttpResponse(exports.template_bytes(fmt), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(str(fmt.label) + '-导入模板.xlsx')}"
    return response


@role_required(*ALL_STAFF)
def exchange_export(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404()
    data = form.cleaned_data
    unmask = request.GET.get("unmask") == "1"
    if unmask and not request.user.is_owner:
        raise PermissionDenied(_("只有平台管理员可以导出完整证件号码"))
    if unmask:
        from django.db import transaction

        with transaction.atomic():
            audit.record(actor=request.user, action="records.export_unmasked", object_type="records.record", object_id="",
                         object_repr=str(FORMATS[data["format"]].label), after={"format": data["format"]})
    fmt, rows = exports.exchange_rows(user=request.user, format=data["format"], date_from=data["date_from"],
                                      date_to=data["date_to"], unmask=unmask)
    return exports.exchange_response(fmt, rows, data["type"])


