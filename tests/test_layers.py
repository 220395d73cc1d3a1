"""Imports point one way: core ← sources ← playbooks ← dashboard ← crisisdesk, and only the dashboard
speaks Streamlit. Inside playbooks: the playbook loader ← checks (pure text logic) ← workflow ← review.

Read from the source with `ast`, so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A package may import only the packages listed for it (besides itself and third-party libraries).
ALLOWED = {
    "core": set(),
    "sources": {"core"},
    "playbooks": {"core", "sources"},  # the playbook files' loader: what the rooms below apply
    "playbooks.checks": {"core", "sources", "playbooks"},
    "playbooks.workflow": {"core", "sources", "playbooks", "playbooks.checks"},
    "playbooks.review": {"core", "sources", "playbooks", "playbooks.checks", "playbooks.workflow"},
    "dashboard": {"core", "sources", "playbooks", "playbooks.checks", "playbooks.workflow", "playbooks.review"},
    "crisisdesk": {"core", "sources", "playbooks", "playbooks.checks", "playbooks.workflow", "playbooks.review",
                   "dashboard"},
}  # fmt: skip
OURS = ("core", "sources", "playbooks", "dashboard", "crisisdesk")
STREAMLIT_ALLOWED = ("dashboard",)


def layer_of(module: str) -> str:
    """The most specific entry of ALLOWED that contains `module` (playbooks.checks.rumour → playbooks.checks)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in ALLOWED:
            return candidate
    return module


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from playbooks import playbook` names a module of the package, which decides its layer.
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def violations(root: Path = ROOT) -> list[str]:
    problems = []
    for package in OURS:
        for path in sorted((root / package).rglob("*.py")):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            own = layer_of(module)
            for line, imported in imports_of(path):
                top = imported.split(".")[0]
                where = f"{path.relative_to(root)}:{line}"
                if top == "streamlit" and not own.startswith(STREAMLIT_ALLOWED):
                    problems.append(f"{where}: {own} imports streamlit (only the dashboard may)")
                if top not in OURS:
                    continue
                target = layer_of(imported)
                if target == own:
                    continue
                if target not in ALLOWED[own]:
                    problems.append(f"{where}: {own} imports {imported} ({target} is not below {own})")
    return problems


def test_imports_point_one_way() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("package", "line", "expected"),
    [
        ("sources", "from playbooks.workflow import audit", "sources imports playbooks.workflow"),
        ("core", "from sources import registry", "core imports sources"),
        ("playbooks/checks", "import streamlit as st", "imports streamlit"),
        ("playbooks/checks", "from playbooks.workflow.models import Flag", "playbooks.checks imports"),
    ],
)
def test_a_wrong_import_is_named(tmp_path: Path, package: str, line: str, expected: str) -> None:
    for name in OURS:
        (tmp_path / name).mkdir()
    target = tmp_path / package / "wrong.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"def f() -> None:\n    {line}\n", encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) >= 1 and expected in found[0] and ":2:" in found[0]
