from .division import Assignment, Measure, Target
from .progress import ProgressAttachment, ProgressReport, Urge

__all__ = ["Assignment", "Measure", "ProgressAttachment", "ProgressReport", "Target", "Urge"]
