"""The repository itself: it stands alone, and docs/规则.md describes the rules the code has."""
from __future__ import annotations

import ast
import re
import subprocess

import pytest

from generator.catalog import NAMES as CATALOG_NAMES
from generator.rules import RULES

from conftest import ROOT

RULES_DOC = ROOT / "docs" / "规则.md"

# Pointers to the team's copy of the published disclosure beside the clone. Built from pieces so
# that this file does not contain what it looks for.
OUTSIDE = [".." + "/shared",                       # a path out of the repository
           "shared" + "/seed",                     # the folder of the published disclosure
           "0bcec4dda" + "379f9a4",                # its file name
           re.compile(r"""["']shared["']\s*/\s*["']seed["']""")]  # a Path joined from the two names


def repository_files() -> list[str]:
    """What git has or would commit (tracked, and untracked but not ignored), relative to ROOT."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return sorted({name for name in listed.decode("utf-8").split("\0") if name})


def test_no_file_reads_anything_outside_the_repository():
    # a fresh clone has nothing beside it: tests carry the published figures in tests/data/
    offending = []
    for name in repository_files():
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the working tree
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        for pattern in OUTSIDE:
            if (pattern.search(text) if isinstance(pattern, re.Pattern) else pattern in text):
                offending.append(name)
    assert offending == []


# --- docs/规则.md and the rules -------------------------------------------------------------

# placeholder-text is an error in a final version and a warning in a draft (rules.apply_rules)
SEVERITY_BY_STATUS = {"placeholder-text": "正式稿 error，草稿 warning"}


def _ids(node) -> set[str]:
    """The rule id(s) an argument of a finding stands for."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        # model.py names a catalogue's rule after the catalogue: catalog-function, …
        assert ast.unparse(node) == "f\"catalog-{catalog.name.replace('_', '-')}\"", ast.unparse(node)
        return {f"catalog-{name.replace('_', '-')}" for name in CATALOG_NAMES}
    return set()  # a variable passed on (rules.py's r.id, schema.py's rule): found at its source


warnings: set[str] = set()  # ids of the stages' warnings, filled by stage_rule_ids()


def stage_rule_ids() -> set[str]:
    """Rule ids of the stages before the rules (loader, schema, model, catalog), read from the
    code: the id passed to Finding(where, severity, id, …) or to the helpers that make one,
    loader._error(path, line, column, id, …) and model's self.error(where, id, …), and the
    ids schema._message returns as (id, where, message). Each of these findings is an error,
    but those made as Finding(where, WARNING, id, …), which `warnings` collects."""
    found = set()
    for path in sorted((ROOT / "generator").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id == "Finding":
                    found |= _ids(node.args[2]) if len(node.args) > 2 else set()
                    if len(node.args) > 2 and ast.unparse(node.args[1]) == "WARNING":
                        warnings.update(_ids(node.args[2]))
                elif isinstance(func, ast.Name) and func.id == "_error":
                    found |= _ids(node.args[3])
                elif (isinstance(func, ast.Attribute) and func.attr == "error"
                      and isinstance(func.value, ast.Name) and func.value.id == "self"):
                    found |= _ids(node.args[1])
            elif isinstance(node, ast.FunctionDef) and path.name == "schema.py" and node.name == "_message":
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                        found |= _ids(ret.value.elts[0])
    return found


def documented() -> dict[str, str]:
    """Rule id → severity, from the table rows of docs/规则.md: | `id` | severity | …"""
    rows = re.findall(r"^\| `([a-z][a-z-]*)` \| ([^|]*?) \|", RULES_DOC.read_text(encoding="utf-8"), re.M)
    ids = [rule for rule, _ in rows]
    assert len(ids) == len(set(ids)), f"documented twice: {sorted({i for i in ids if ids.count(i) > 1})}"
    return dict(rows)


def test_the_stages_before_the_rules_are_found():
    # guards the AST walk above: a few ids of each stage that must be among those it finds
    assert {"file-bom", "yaml-syntax", "duplicate-key", "schema-type", "schema", "catalog-level",
            "catalog-function", "catalog-mapping", "duplicate-code", "catalog-additions"} <= stage_rule_ids()


def test_every_rule_is_documented_with_its_severity():
    docs = documented()
    expected = {r.id: SEVERITY_BY_STATUS.get(r.id, r.severity) for r in RULES}
    expected |= {rule: "warning" if rule in warnings else "error" for rule in stage_rule_ids()}
    missing = sorted(set(expected) - set(docs))
    assert not missing, f"docs/规则.md has no row for: {missing}"
    wrong = {rule: (docs[rule], severity) for rule, severity in expected.items() if docs[rule] != severity}
    assert not wrong, f"severity in docs/规则.md differs from the code (docs, code): {wrong}"


def test_docs_name_no_rule_that_does_not_exist():
    known = {r.id for r in RULES} | stage_rule_ids()
    text = RULES_DOC.read_text(encoding="utf-8")
    # every row of the rule tables, and every `word-word` id mentioned anywhere in the text
    named = set(documented()) | set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", text))
    assert sorted(named - known) == []
