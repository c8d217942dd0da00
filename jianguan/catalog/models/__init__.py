from .items import (
    CheckPoint,
    ImplementationList,
    ImplementationListVersion,
    ItemBasis,
    LegalProvision,
    SupervisionItem,
    SupervisionItemVersion,
    validate_impl_code,
    validate_item_code,
)
from .linkage import ApprovalRoute, FilingMatter, SupervisionNotice, VerificationTask
from .plans import CountyPlan, DepartmentPlan, PlanRow
from .rules import Guideline, RuleStandard

__all__ = [
    "ApprovalRoute",
    "CheckPoint",
    "CountyPlan",
    "DepartmentPlan",
    "FilingMatter",
    "Guideline",
    "ImplementationList",
    "ImplementationListVersion",
    "ItemBasis",
    "LegalProvision",
    "PlanRow",
    "RuleStandard",
    "SupervisionItem",
    "SupervisionItemVersion",
    "SupervisionNotice",
    "VerificationTask",
    "validate_impl_code",
    "validate_item_code",
]
