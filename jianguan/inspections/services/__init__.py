"""Every write of random inspections: `<noun>_<verb>(*, actor, ...)`, one transaction, one audit event inside it.

Who may do what (enforced here; views and the API only translate):
- department leaders and administrators keep their department's directories (inspectors, object rules and
  adjustments, key list), create tasks from approved plan rows, commit and run draws; only a leader re-draws;
- an inspector declares conflicts, recuses from an assignment (re-drawn and recorded), enters and publishes the
  results of objects assigned to them (谁检查、谁录入、谁公开);
- corrections of published results need a leader or administrator and a reason.
"""
from .directory import (conflict_declare, conflict_withdraw, directory_adjust, inspector_sync, inspector_update,  # noqa: F401
                        key_entry_add, key_entry_end, object_rule_save)
from .results import (object_in_task, photo_add, result_correct, result_publish, result_save)  # noqa: F401
from .tasks import (assignment_recuse, draw_commit, draw_redo, draw_run, task_cancel, task_create,  # noqa: F401
                    validate_ratios)
