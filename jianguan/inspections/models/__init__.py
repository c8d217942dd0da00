from .directory import DirectoryAdjustment, Inspector, InspectorConflict, KeyEntry, ObjectRule
from .results import CaseReferral, CheckResult, ResultCorrection, ResultPhoto
from .tasks import Assignment, Draw, InspectionTask, TaskObject, Visit

__all__ = ["Assignment", "CaseReferral", "CheckResult", "DirectoryAdjustment", "Draw", "InspectionTask",
           "Inspector", "InspectorConflict", "KeyEntry", "ObjectRule", "ResultCorrection", "ResultPhoto", "TaskObject",
           "Visit"]
