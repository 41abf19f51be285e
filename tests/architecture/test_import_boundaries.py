"""The layering of the apps, checked from the source: which app may import which.

docs/architecture.md draws the same picture. A rule here fails with the file, the line
and the import that breaks it.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUR_APPS = {
    "accounts",
    "agreements",
    "api",
    "calendars",
    "core",
    "dashboard",
    "demo",
    "evaluations",
    "partnerships",
    "portal",
    "reminders",
    "webhooks",
}


def _imports(path: pathlib.Path):
    """(line, top-level package, full module) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0], alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0], node.module


def _source_files(app: str):
    folder = ROOT / app
    if not folder.exists():
        return []
    return [path for path in folder.rglob("*.py") if "migrations" not in path.parts]


def _violations(files, forbidden):
    found = []
    for path in files:
        for line, package, module in _imports(path):
            if package in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_core_imports_no_app_of_ours():
    """core/ is the floor: forms, dates, money, history, permissions' shape."""
    assert _violations(_source_files("core"), OUR_APPS - {"core"}) == []


@pytest.mark.parametrize("app", sorted(OUR_APPS - {"api"}))
def test_nothing_imports_the_api(app):
    """The API stands on the apps' services, selectors, filters and permissions, like the
    pages; no app depends on it."""
    assert _violations(_source_files(app), {"api"}) == []


def test_webhooks_know_nothing_of_the_apps_that_emit_events():
    """The services of agreements, evaluations and reminders call webhooks.events.emit;
    webhooks describe the objects they are given without importing their apps."""
    domain = {"partnerships", "agreements", "evaluations", "reminders", "calendars", "accounts"}
    assert _violations(_source_files("webhooks"), domain | {"api", "dashboard", "demo"}) == []


@pytest.mark.parametrize("app", sorted(OUR_APPS - {"dashboard", "demo"}))
def test_no_app_imports_the_apps_on_top(app):
    """The dashboard and the demo data stand on every app; nothing stands on them."""
    assert _violations(_source_files(app), {"dashboard", "demo"}) == []


def test_the_agreement_models_know_nothing_of_evaluations_reminders_or_calendars():
    """Evaluation rules live in evaluations/ and reach agreements through their selectors."""
    models = [ROOT / "agreements" / "models.py"]
    assert _violations(models, {"evaluations", "reminders", "calendars", "accounts"}) == []


def test_the_partner_register_knows_nothing_of_the_apps_built_on_it():
    """Partners come first; agreements, evaluations and reminders refer to them.
    Only the partner page's views show a partner's agreements."""
    files = [path for path in _source_files("partnerships") if "views" not in path.name]
    assert _violations(files, {"agreements", "evaluations", "reminders", "calendars"}) == []


def test_accounts_knows_nothing_of_the_domain_apps():
    assert (
        _violations(
            _source_files("accounts"),
            {"partnerships", "agreements", "evaluations", "reminders", "calendars"},
        )
        == []
    )


@pytest.mark.parametrize(
    "app",
    ["accounts", "agreements", "calendars", "core", "evaluations", "partnerships", "reminders"],
)
def test_no_domain_app_imports_the_partner_portal(app):
    """The portal stands on the domain apps (it may import any of them). Where a staff
    page shows portal data, the page names a slot (core/sections.py) or reminders offer a
    planner hook, and the portal registers itself there in its AppConfig.ready(); the
    dashboard, on top of everything, imports portal selectors directly."""
    assert _violations(_source_files(app), {"portal"}) == []


def test_the_check_finds_an_import_it_forbids(tmp_path):
    """The rules above would pass on files they cannot read; this one must fail."""
    sample = tmp_path / "sample.py"
    sample.write_text("from agreements.models import Agreement\nimport dashboard.panels\n")
    found = [package for _line, package, _module in _imports(sample)]
    assert found == ["agreements", "dashboard"]
