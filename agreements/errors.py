"""Why a workflow step or a change of terms was refused, in words for the user
(agreements.services and agreements.amendments raise them; core.errors.Refused is the
shape every service's refusal has)."""

from core.errors import Refused


class TransitionRefused(Refused):
    """A workflow action on an agreement or an amendment is not possible now."""


class TransitionConflict(TransitionRefused):
    """Someone else changed the record first (for example two managers approving)."""
