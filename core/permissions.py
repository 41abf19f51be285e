"""The shape every permission rule returns: the answer and, when it is no, why."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def denied(reason) -> Decision:
    return Decision(False, str(reason))
