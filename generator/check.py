"""The checking pipeline for one file: load → schema → model → derive → rules."""
from __future__ import annotations

from dataclasses import replace

from .catalog import CatalogError, load_catalogs
from .derive import Derived
from .findings import ERROR, BudgetError, Finding, Location
from .loader import Document, load_file
from .model import Budget, build
from .profiles import (Profile, load_profile, requirement_findings, source_findings,
                       vehicle_findings)
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


def profile_for(budget: Budget, standard: str | None = None) -> tuple[Profile | None, list]:
    """The profile the budget is rendered in (`standard`, else the one it names) and the
    findings of what that profile needs and the budget lacks; None when it cannot be used."""
    try:
        profile = load_profile(standard or budget.standard)
    except BudgetError as exc:  # a standard there is no profile of
        where = Location(budget.path, 1, 1) if standard else budget.doc.where_key("standard")
        return None, [replace(f, location=where) for f in exc.findings]
    findings = requirement_findings(budget.doc, profile) + source_findings(budget, profile)
    if profile.name == budget.standard:  # categories are the budget's own standard's
        findings += vehicle_findings(budget.doc, profile)
    return (None if findings else profile), findings


def analyse(path: str, standard: str | None = None
            ) -> tuple[Budget | None, Derived | None, list[Finding]]:
    """The budget, its derived tables in its profile (or `standard`) and every finding, even
    when rules found errors (for `budget diff`); budget and derived are None only when the
    file cannot be built."""
    budget, findings = load_budget(path)
    if budget is None:
        return None, None, findings
    profile, problems = profile_for(budget, standard)
    if profile is None:
        return None, None, findings + problems
    derived = Derived(budget, profile)
    return budget, derived, findings + apply_rules(budget, derived)


def check(path: str, standard: str | None = None
          ) -> tuple[Budget | None, Derived | None, list[Finding]]:
    """Everything `budget check` reports for one file, and the budget when it has no errors."""
    budget, derived, findings = analyse(path, standard)
    if any(f.severity == ERROR for f in findings):
        return None, None, findings
    return budget, derived, findings
