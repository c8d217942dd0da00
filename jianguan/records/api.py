"""Records endpoints under /api/v1/records: list and detail (scoped), create, the 待匹配 queue, bulk import, export."""

import datetime as dt
import decimal
import json
import tempfile
from pathlib import Path
from typing import Any, Literal

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from jianguan.core.api import ERRORS
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.models import Department
from jianguan.core.pii import mask_id_number

from . import exports, selectors, services
from .choices import ImportFormat, JobChannel, RecordKind

router = Router(tags=["数据归集 records"])


class RecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    uscc: str
    party_name: str
    entity_uscc: str | None
    department_id: int
    department: str
    occurred_on: dt.date
    title: str
    summary: str
    amount: decimal.Decimal | None
    source_system: str
    source_id: str
    status: str
    match_status: str
    disclose: bool
    disclose_until: dt.date | None
    party_id_masked: str
    payload: dict[str, Any]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(RecordKind(obj.kind).label)

    @staticmethod
    def resolve_entity_uscc(obj) -> str | None:
        return obj.entity.uscc if obj.entity_id else None

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_party_id_masked(obj) -> str:
        return mask_id_number(obj.party_id_number)


@router.get("/records", response=list[RecordOut], summary="监管记录（按权限范围）")
@paginate(PageNumberPagination, page_size=50)
def record_list(request, kind: str = "", q: str = "", department_id: int | None = None, match_status: str = "",
                status: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    return selectors.record_list(user=request.auth, kind=kind, q=q[:100], department_id=department_id, match_status=match_status,
                                 status=status, date_from=date_from, date_to=date_to)


@router.get("/records/pending", response=list[RecordOut], summary="待匹配记录")
@paginate(PageNumberPagination, page_size=50)
def record_pending(request):
    return selectors.pending_records(user=request.auth)


@router.get("/records/{int:pk}", response={200: RecordOut, **ERRORS}, summary="监管记录详情")
def record_detail(request, pk: int):
    return selectors.record_get(user=request.auth, pk=pk)


class RecordIn(Schema):
    kind: RecordKind
    uscc: str = Field(..., max_length=18)
    party_name: str = Field(..., min_length=1, max_length=200)
    department_id: int | None = None
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field("", max_length=4000)
    occurred_on: dt.date | None = None
    amount: decimal.Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    source_system: str = Field("", max_length=60)
    source_id: str = Field("", max_length=120)
    disclose: bool = False
    disclose_until: dt.date | None = None
    payload: dict[str, Any] = {}


def _department(request, pk: int | None) -> Department:
    if pk is None:
        if request.auth.department is None:
            raise DomainError("请指定部门", field="department_id")
        dept = request.auth.department
        return dept.parent if dept.parent_id else dept
    dept = Department.objects.filter(pk=pk, is_active=True).first()
    if dept is None:
        raise DomainError("部门不存在或已停用", field="department_id")
    return dept


@router.post("/records", response={201: RecordOut, **ERRORS}, summary="录入一条监管记录")
def record_create(request, payload: RecordIn):
    data = payload.dict()
    department = _department(request, data.pop("department_id"))
    record = services.record_create(actor=request.auth, department=department, kind=data.pop("kind").value, **data)
    return Status(201, record)


class MatchIn(Schema):
    uscc: str = Field(..., max_length=18)
    reason: str = Field("", max_length=200)


@router.post("/records/{int:pk}/match", response={200: RecordOut, **ERRORS}, summary="待匹配记录关联到市场主体")
def record_match(request, pk: int, payload: MatchIn):
    from jianguan.entities.selectors import entity_get

    record = selectors.record_get(user=request.auth, pk=pk)
    try:
        entity = entity_get(user=request.auth, uscc=payload.uscc)
    except NotFound:
        raise DomainError("主体库中没有该统一社会信用代码", field="uscc") from None
    return services.record_match(actor=request.auth, record=record, entity=entity, reason=payload.reason)


# --- imports -----------------------------------------------------------------------------------------------------------


class JobOut(Schema):
    id: int
    format: str
    channel: str
    file_name: str
    status: str
    rows: int
    accepted: int
    inserted: int
    updated: int
    voided: int
    unchanged: int
    rejected: int
    unmatched: int
    error: str
    notes: list[str]
    errors: list[dict]

    @staticmethod
    def resolve_notes(obj) -> list[str]:
        return (obj.notes or {}).get("notes", [])

    @staticmethod
    def resolve_errors(obj) -> list[dict]:
        return (obj.notes or {}).get("errors", [])


class BulkIn(Schema):
    format: ImportFormat
    records: list[dict[str, Any]] = Field(..., max_length=20000)
    department_id: int | None = None


@router.post("/records/import", response={200: JobOut, **ERRORS}, summary="批量导入（JSON 记录数组）")
def record_import(request, payload: BulkIn):
    """Rows use the exchange column names (or their JSON keys). The same rules as file imports apply; the answer
    lists accepted, rejected (with row number, field and reason) and unmatched counts. Re-sending changes nothing."""
    department = Department.objects.filter(pk=payload.department_id).first() if payload.department_id else None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(payload.records, fh, ensure_ascii=False)
        path = Path(fh.name)
    job = services.import_job_create(actor=request.auth, format=payload.format.value, channel=JobChannel.API,
                                     file_name="api.json", source_path=path, department=department, move=True)
    return services.import_run(job_id=job.pk)


@router.post("/records/import/file", response={200: JobOut, **ERRORS}, summary="批量导入（上传 CSV / XLSX / JSON 文件）")
def record_import_file(request, format: ImportFormat, file: File[UploadedFile], department_id: int | None = None):
    department = Department.objects.filter(pk=department_id).first() if department_id else None
    job = services.import_job_create(actor=request.auth, format=format.value, channel=JobChannel.API, file_name=file.name,
                                     upload=file, department=department)
    return services.import_run(job_id=job.pk)


@router.get("/records/import/{int:pk}", response={200: JobOut, **ERRORS}, summary="导入任务进度与结果")
def record_import_status(request, pk: int):
    return services.import_job_status(actor=request.auth, job_id=pk)


@router.get("/records/export", summary="按交换格式导出（CSV / XLSX / JSON）")
def record_export(request, format: ImportFormat, type: Literal["csv", "xlsx", "json"] = "json",
                  date_from: dt.date | None = None, date_to: dt.date | None = None):
    fmt, rows = exports.exchange_rows(user=request.auth, format=format.value, date_from=date_from, date_to=date_to)
    return exports.exchange_response(fmt, rows, type)
