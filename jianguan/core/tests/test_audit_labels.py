"""Every audit action an app records has a Chinese label (pages and exports never show a raw code).

The source of every jianguan app is read (tests and migrations left out) for the actions passed to
`audit.record(action=...)` and to helpers that hand their `action` parameter on to it: string literals
(also both arms of `"a" if x else "b"`) and f-string families, whose concrete values are listed below.
A new action without `audit.register_actions({...})` in its app's ready() fails here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from jianguan.catalog import excel
from jianguan.catalog.choices import PublishStatus
from jianguan.core import audit

#: f-string actions and every value they can take (the template is the f-string with its fields as {expr}).
FAMILIES: dict[str, list[str]] = {
    "catalog.import.{kind}": [f"catalog.import.{kind}" for kind in excel.KINDS],  # services/imports.py _run(kind, ...)
    "catalog.rule.{status}": [f"catalog.rule.{s}" for s in (PublishStatus.PUBLISHED, PublishStatus.WITHDRAWN)],  # rule_set_status
}


def _app_sources() -> list[Path]:
    files = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jianguan."):
            continue
        for path in sorted(Path(config.path).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(config.path).parts):
                continue
            files.append(path)
    return files


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _template(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
                   for part in node.values)


def _forwarders(trees: dict[Path, ast.Module]) -> set[str]:
    """`record` and every function that takes an `action` parameter and passes it on to a recorder."""
    names = {"record"}
    functions = [fn for tree in trees.values() for fn in ast.walk(tree)
                 if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and "action" in {a.arg for a in fn.args.args + fn.args.kwonlyargs}]
    grew = True
    while grew:
        grew = False
        for fn in functions:
            if fn.name in names:
                continue
            for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and _callee(n) in names):
                if any(kw.arg == "action" and isinstance(kw.value, ast.Name) and kw.value.id == "action" for kw in call.keywords):
                    names.add(fn.name)
                    grew = True
                    break
    return names


def _collect() -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """(literal action -> where, f-string template -> where, unexplained non-literal actions)."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in _app_sources()}
    recorders = _forwarders(trees)
    literals: dict[str, list[str]] = {}
    templates: dict[str, list[str]] = {}
    unexplained: list[str] = []
    for path, tree in trees.items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _callee(n) in recorders):
            for kw in call.keywords:
                if kw.arg != "action":
                    continue
                where = f"{path.relative_to(Path(apps.get_app_config('core').path).parent)}:{call.lineno}"
                value = kw.value
                arms = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                for arm in arms:
                    if isinstance(arm, ast.Constant) and isinstance(arm.value, str):
                        literals.setdefault(arm.value, []).append(where)
                    elif isinstance(arm, ast.JoinedStr):
                        templates.setdefault(_template(arm), []).append(where)
                    elif isinstance(arm, ast.Name) and arm.id == "action":
                        pass  # a forwarder handing on its own parameter; its callers are read instead
                    else:
                        unexplained.append(f"{where}: action={ast.unparse(arm)}")
    return literals, templates, unexplained


@pytest.fixture(scope="module")
def found():
    return _collect()


def test_the_scan_finds_the_actions_of_every_app(found):
    literals, templates, _ = found
    for action in ("account.login", "entity.create", "record.create", "catalog.plan.submit", "catalog.notice.create",
                   "duties.urge.issue", "credit.grade_run", "credit.repair.reject", "inspections.draw_run"):
        assert action in literals
    assert "credit.default_grade" not in literals  # a parameter key, not an action
    assert set(templates) == set(FAMILIES), "a new f-string action: list its values in FAMILIES and label each"


def test_every_recorded_action_has_a_label(found):
    literals, templates, unexplained = found
    assert unexplained == [], "an action that is neither a literal nor a known f-string family"
    actions = set(literals) | {value for template in templates for value in FAMILIES.get(template, [])}
    missing = sorted(f"{a} ({', '.join(literals.get(a, ['f-string']))})" for a in actions if a not in audit.ACTION_LABELS)
    assert missing == [], "register a label with audit.register_actions() in the app's ready()"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_labels_read_as_words_not_codes(found, lang):
    literals, templates, _ = found
    actions = set(literals) | {value for template in templates for value in FAMILIES[template]}
    with translation.override(lang):
        for action in sorted(actions):
            label = audit.action_label(action)
            assert label and label != action and "." not in label, action
