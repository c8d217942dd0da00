from .account import ApiToken, User
from .audit import AuditEvent, AuditHead
from .calendar import Holiday
from .department import Department, DepartmentShare
from .params import Parameter

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Department",
    "DepartmentShare",
    "Holiday",
    "Parameter",
    "User",
]
