from .checks import CheckDigest, CheckReport, CreditCheck
from .facts import AnnualReport, Commitment
from .grading import GradeAdjustment, GradeResult, GradeRun, Indicator, IndicatorSet
from .lists import AbnormalListing, ListingPerson, SeriousListing
from .measures import Measure
from .regimes import DisclosureRegime, DisclosureRule
from .remedies import CreditNotice, CreditReport, Objection, RepairApplication

__all__ = [
    "AbnormalListing", "AnnualReport", "CheckDigest", "CheckReport", "Commitment", "CreditCheck", "CreditNotice",
    "CreditReport", "DisclosureRegime", "DisclosureRule", "GradeAdjustment", "GradeResult", "GradeRun", "Indicator",
    "IndicatorSet", "ListingPerson", "Measure", "Objection", "RepairApplication", "SeriousListing",
]
