"""A finding: one problem in one budget file, located at file:line:column."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Cell:
    """A cell of the derived tables that a finding is about, named as a reader would."""
    table: int  # 1 … 13
    row: str  # the row's code, or its name ("合计", a unit, a project; 表一 "一般公共预算")
    column: str  # the column heading, e.g. "基本支出"


@dataclass(frozen=True)
class Finding:
    location: Location
    severity: str  # ERROR or WARNING
    rule: str  # stable id, e.g. "basic-function-economic"
    message: str  # Chinese, names the table/row and both figures
    cells: tuple[Cell, ...] = ()  # the figures it compares, for the redline to mark

    def text(self) -> str:
        """One line, always: a line break in the file's name or quoted from the budget's text
        is shown as \\n."""
        loc = self.location
        return (f"{one_line(loc.path)}:{loc.line}:{loc.column}: {self.severity} {self.rule} "
                f"{one_line(self.message)}")

    def github(self) -> str:
        loc = self.location
        # Workflow commands: "%", CR and LF are escaped in the message, and ":" and "," too in
        # a property such as the file name.
        path = _escape(str(loc.path)).replace(":", "%3A").replace(",", "%2C")
        msg = _escape(self.message)
        return (f"::{self.severity} file={path},line={loc.line},col={loc.column},"
                f"title={self.rule}::{msg}")

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(d.pop("location"))
        del d["cells"]  # the check's JSON stays what it was: location, rule, message
        return d


def one_line(text: str) -> str:
    """`text` on one line: its line breaks written as \\r and \\n (a file may be named so)."""
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def sort_key(finding: Finding):
    return (finding.location, finding.rule, finding.message)


def format_findings(findings: list[Finding], fmt: str) -> str:
    findings = sorted(findings, key=sort_key)
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(f.github() for f in findings)
    return "\n".join(f.text() for f in findings)


class BudgetError(Exception):
    """Raised when a file cannot be read any further; carries its findings."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.text() for f in findings))
        self.findings = findings
