"""Every write of the catalogue app: `<noun>_<verb>(*, actor, ...)`, one transaction, an audit event inside it.

Split by subject: items (catalogue, implementation lists, guidelines, legal provisions), rules (rules and
standards register), plans (annual supervision plans), linkage (审管衔接), imports (Excel).
"""
from .items import (  # noqa: F401
    guideline_save,
    guideline_set_published,
    impl_list_create,
    impl_list_update,
    item_create,
    item_review_clear,
    item_update,
    provision_create,
    provision_set_status,
    provisions_resolve,
)
from .linkage import (  # noqa: F401
    filing_matter_create,
    filing_matter_update,
    notice_feedback,
    notice_sign,
    notices_create,
    on_filings_recorded,
    on_licences_recorded,
    overdue_flag,
    route_create,
    route_update,
    sync_all,
    unfiled_tasks_create,
    verification_complete,
    verifications_create,
)
from .plans import (  # noqa: F401
    county_plan_approve,
    county_plan_close,
    department_plan_create,
    department_plan_decide,
    department_plan_submit,
    plan_row_add,
    plan_row_delete,
    plan_row_update,
)
from .rules import rule_cleanup, rule_create, rule_set_status, rule_update  # noqa: F401
from .imports import IMPORTERS, ImportResult, import_guidelines, import_impl_lists, import_items, import_plan_rows  # noqa: F401
