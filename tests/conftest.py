"""Small helpers shared by the tests.

Test budgets are made from the real example (budgets/2026/zezhou-xinfang.yaml) by editing its
TEXT: every scalar must stay the text that was written, so a budget is never re-dumped.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from generator.check import check
from generator.money import to_wan

ROOT = Path(__file__).resolve().parent.parent
SEED_YAML = ROOT / "budgets" / "2026" / "zezhou-xinfang.yaml"
JIAOYU_YAML = ROOT / "budgets" / "2026" / "zezhou-jiaoyu.yaml"
BUDGET_EXE = ROOT / ".venv" / "bin" / "budget"
# Every test builds for real (its own processes inherit this): the build cache would make a
# second build of the same budget a copy. tests/test_cache.py turns it on where it is tested.
os.environ["BUDGET_CACHE"] = "off"
os.environ["BUDGET_JOBS"] = "1"  # one budget after the other, in order; test_cache.py tests --jobs
# copies of the repository (test_git's) use this checkout's fonts instead of making their own
os.environ["BUDGET_FONTS"] = str(ROOT / "build" / "fonts")


def seed_text() -> str:
    return SEED_YAML.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    """`text` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = text.count(old)
    assert found == count, f"expected {count} occurrence(s) of {old!r}, found {found}"
    return text.replace(old, new)


def line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line after line `after` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found after line {after}")


def block_lines(text: str, key_line: int) -> range:
    """The lines of the YAML block whose key is on `key_line`: that line and every line
    below it indented deeper (blank lines end nothing)."""
    lines = text.splitlines()
    indent = len(lines[key_line - 1]) - len(lines[key_line - 1].lstrip())
    end = key_line
    for number in range(key_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        end = number
    return range(key_line, end + 1)


def write(directory: Path, text: str, name: str = "budget.yaml") -> str:
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def findings(path: str) -> list:
    """Everything `budget check` reports for one file."""
    return check(path)[2]


def of_rule(found: list, rule: str) -> list:
    return [f for f in found if f.rule == rule]


def wan(cell) -> str:
    """A table cell as the disclosure prints it: 万元 with 2 places; None and zero are blank."""
    if cell is None or cell == 0:
        return ""
    assert isinstance(cell, Decimal), cell
    return str(to_wan(cell))


def cells(row) -> list[str]:
    return [wan(c) for c in row.cells]


@pytest.fixture(scope="session")
def seed_derived():
    budget, derived, found = check(str(SEED_YAML))
    assert found == [], [f.text() for f in found]
    return derived
