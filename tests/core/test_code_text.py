"""User-facing text written in Python goes through gettext, at the time it is shown.

Two faults left English on Swedish pages: a message written as a plain string, and a
message translated with gettext() when its module was imported (in the language active
then, English) instead of when the request is answered. This test reads our Python
modules and finds both: plain text passed where a user reads it (flash messages, form
errors, refusals, permission reasons), and gettext() called at import time (module level,
class bodies, default arguments). gettext_lazy() is the way for text defined at import.
"""

import ast
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
OUR_PACKAGES = [
    "accounts",
    "agreements",
    "calendars",
    "config",
    "core",
    "dashboard",
    "demo",
    "evaluations",
    "partnerships",
    "reminders",
]
EAGER_GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}
MESSAGE_FUNCTIONS = {"debug": 1, "info": 1, "success": 1, "warning": 1, "error": 1}
# Exceptions whose message a user reads (a page, a form, the 403 page).
USER_FACING_EXCEPTIONS = {
    "PermissionDenied",
    "ValidationError",
    "Refused",
    "TransitionRefused",
    "EvaluationRefused",
    "EditConflict",
    "ImportFileError",
}
# Keyword arguments that are text on a page: field labels, help, choices, messages.
TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "message",
    "reason",
    "choices",
    "field_labels",
}


def _modules():
    for package in OUR_PACKAGES:
        for path in sorted((REPOSITORY / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _eager_gettext_names(tree: ast.Module) -> set[str]:
    """The names this module binds to gettext() and friends (usually `_`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER_GETTEXT:
                    names.add(alias.asname or alias.name)
    return names


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ""


def is_plain_text(node) -> bool:
    """A literal with words in it, or one formatted with %, .format() or an f-string."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(is_plain_text(part) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return is_plain_text(node.left) or is_plain_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format":
            return is_plain_text(node.func.value)
    if isinstance(node, ast.Dict):
        return any(is_plain_text(value) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return any(is_plain_text(item) for item in node.elts)
    return False


def _texts_a_user_reads(call: ast.Call):
    """The arguments of `call` that a user reads, if it is one of the places text goes."""
    name = _called_name(call)
    is_messages = (
        isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "messages"
    )
    if is_messages and name in MESSAGE_FUNCTIONS:
        yield from call.args[MESSAGE_FUNCTIONS[name] : MESSAGE_FUNCTIONS[name] + 1]
    elif is_messages and name == "add_message":
        yield from call.args[2:3]
    elif name in USER_FACING_EXCEPTIONS:
        yield from call.args[:1]
    elif name == "add_error":
        yield from call.args[1:2]
    elif name == "denied":
        yield from call.args[:1]
    elif name == "Decision":
        yield from call.args[1:2]
    for keyword in call.keywords:
        if keyword.arg == "choices" and isinstance(keyword.value, ast.List | ast.Tuple):
            # (value, label) pairs: the value is a code, the label is read.
            for pair in keyword.value.elts:
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    yield pair.elts[1]
        elif keyword.arg in TEXT_KEYWORDS:
            yield keyword.value


class _Finder(ast.NodeVisitor):
    def __init__(self, eager_names: set[str]):
        self.eager_names = eager_names
        self.depth = 0  # inside how many function bodies
        self.found: list[tuple[int, str]] = []

    def _visit_function(self, node):
        # Decorators and default values run at import time; the body when called.
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.visit(node.args)
        self.depth += 1
        for statement in node.body:
            self.visit(statement)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node):
        self.visit(node.args)
        self.depth += 1
        self.visit(node.body)
        self.depth -= 1

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if self.depth == 0 and name in self.eager_names:
            self.found.append((node.lineno, f"{name}() at import time: use gettext_lazy"))
        for text in _texts_a_user_reads(node):
            if is_plain_text(text):
                self.found.append((node.lineno, f"untranslated text for {_called_name(node)}()"))
        self.generic_visit(node)


def untranslated_python_text(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    finder = _Finder(_eager_gettext_names(tree))
    finder.visit(tree)
    return finder.found


def test_the_check_finds_untranslated_and_eagerly_translated_text():
    source = """
from django.utils.translation import gettext as _, gettext_lazy
DONE = {"submit": _("Submitted")}
LAZY = {"submit": gettext_lazy("Submitted")}
class Form:
    label = _("Name")
    def clean(self):
        self.add_error("name", "Too long")
        self.add_error("name", _("Too long"))
def view(request, reference, title=_("Title")):
    messages.success(request, f"{reference} is submitted.")
    messages.info(request, "Saved %s" % reference)
    messages.error(request, _("Saved %s") % reference)
    messages.warning(request, problem)
    raise PermissionDenied("Managers only.")
    raise Refused(_("Not now."))
    return denied("No role")
name = forms.CharField(label="Name", help_text=gettext_lazy("Up to 200 characters."))
kind = forms.ChoiceField(choices=[("a", gettext_lazy("A")), ("b", "Bee")])
"""
    found = [line for line, _ in untranslated_python_text(source)]
    assert found == [3, 6, 8, 10, 11, 12, 15, 17, 18, 19]
    assert untranslated_python_text("raise ValueError(f'unknown phase {phase!r}')") == []


@pytest.mark.parametrize(
    "path", list(_modules()), ids=lambda path: str(path.relative_to(REPOSITORY))
)
def test_python_module_translates_what_users_read_when_they_read_it(path):
    assert untranslated_python_text(path.read_text(encoding="utf-8")) == []
