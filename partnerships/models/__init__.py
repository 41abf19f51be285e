"""The partner register (partners.py: partners, contacts, due diligence, selection
assessments), the record of due diligence over time (due_diligence.py) and the dialogue
log (dialogue.py). All are imported from here."""

from partnerships.models.dialogue import (
    DialogueEntry,
    DialogueFollowUp,
    DialogueFollowUpQuerySet,
    DialogueKind,
    DialoguePartnerParticipant,
)
from partnerships.models.due_diligence import DueDiligenceReview, RiskLevelChange
from partnerships.models.partners import (
    DUE_DILIGENCE_COMPLETE,
    CriterionScore,
    FocusArea,
    FocusAreaManager,
    NaturalKeyManager,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerQuerySet,
    Recommendation,
    RiskLevel,
    SelectionAssessment,
    SelectionCriterion,
    SelectionCriterionManager,
    organisation_number_key,
    partner_name_key,
    routines_document_path,
    search_fold,
    search_text,
)

__all__ = [
    "DUE_DILIGENCE_COMPLETE",
    "CriterionScore",
    "DialogueEntry",
    "DialogueFollowUp",
    "DialogueFollowUpQuerySet",
    "DialogueKind",
    "DialoguePartnerParticipant",
    "DueDiligenceReview",
    "FocusArea",
    "FocusAreaManager",
    "NaturalKeyManager",
    "Partner",
    "PartnerContact",
    "PartnerKind",
    "PartnerQuerySet",
    "Recommendation",
    "RiskLevel",
    "RiskLevelChange",
    "SelectionAssessment",
    "SelectionCriterion",
    "SelectionCriterionManager",
    "organisation_number_key",
    "partner_name_key",
    "routines_document_path",
    "search_fold",
    "search_text",
]
