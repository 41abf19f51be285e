"""Why a workflow step or a change of terms was refused, in words for the user."""


class TransitionRefused(Exception):
    """The action is not possible now; the message says why, for the user."""

    def __init__(self, message, problems=None):
        super().__init__(str(message))
        self.message = str(message)
        self.problems = problems or []


class TransitionConflict(TransitionRefused):
    """Someone else changed the record first (for example two managers approving)."""
