"""The shape every permission rule returns: the answer and, when it is no, why."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def denied(reason) -> Decision:
    return Decision(False, str(reason))


def require(decision: Decision) -> None:
    """Raise PermissionDenied with the rule's reason, shown on the 403 page."""
    if not decision:
        raise PermissionDenied(decision.reason)
