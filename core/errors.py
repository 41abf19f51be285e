"""The one error a service raises when an action is not possible now."""


class Refused(Exception):
    """The action is refused; `message` says why, for the user, and `problems` lists
    what is missing one by one where there are several. `field` names the form field the
    refusal belongs to, if any, so a page shows it next to that field."""

    def __init__(self, message, problems=None, *, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.problems = [str(problem) for problem in problems or []]
        self.field = field
