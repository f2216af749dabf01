"""The checking pipeline for one file: load → schema → model → derive → rules."""
from __future__ import annotations

from .catalog import CatalogError, load_catalogs
from .derive import Derived
from .findings import ERROR, BudgetError, Finding
from .loader import Document, load_file
from .model import Budget, build
from .rules import apply_rules
from .schema import validate


def load_budget(path: str) -> tuple[Budget | None, list[Finding]]:
    """The typed budget and every finding; the budget is None when it cannot be built."""
    try:
        doc = load_file(path)
    except BudgetError as exc:
        return None, exc.findings
    return build_budget(doc)


def build_budget(doc: Document) -> tuple[Budget | None, list[Finding]]:
    """A loaded document through the schema and the catalogues into the typed budget (None
    when it cannot be built), with every finding so far."""
    loaded = doc.warnings  # the loader's warnings (text cut by " #") go along with the rest
    findings = validate(doc)
    if findings:
        return None, loaded + findings
    try:
        catalogs = load_catalogs()
    except (CatalogError, BudgetError) as exc:
        return None, exc.findings
    budget, findings = build(doc, catalogs)
    if any(f.severity == ERROR for f in findings):
        return None, loaded + findings
    return budget, loaded + findings  # warnings (a 项 the catalogue may lack) go on to the rules


def analyse(path: str) -> tuple[Budget | None, Derived | None, list[Finding]]:
    """The budget, its derived tables and every finding, even when rules found errors (for
    `budget diff`); budget and derived are None only when the file cannot be built."""
    budget, findings = load_budget(path)
    if budget is None:
        return None, None, findings
    derived = Derived(budget)
    return budget, derived, findings + apply_rules(budget, derived)


def check(path: str) -> tuple[Budget | None, Derived | None, list[Finding]]:
    """Everything `budget check` reports for one file, and the budget when it has no errors."""
    budget, derived, findings = analyse(path)
    if any(f.severity == ERROR for f in findings):
        return None, None, findings
    return budget, derived, findings
