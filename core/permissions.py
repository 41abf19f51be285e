"""The shape every permission rule returns: the answer and, when it is no, why."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

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


def rule_required(rule: Callable[[object], Decision]):
    """A view decorator for a rule that needs only the user, e.g.
    @rule_required(permissions.can_view_agreements): the rule stays in permissions.py
    and the 403 page gives its reason."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            require(rule(request.user))
            return view(request, *args, **kwargs)

        return checked

    return decorator
