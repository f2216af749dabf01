"""Disclosure standards as profiles: templates/<name>/profile.yaml and the templates beside it.

A profile says which tables the disclosure has (each a builder of generator.tables with its
options, its number, title, unit and empty-table note), how a few figures are defined where
the standards differ (机关运行经费's sources), which vehicle categories it counts, and which
facts it needs beyond the schema's required ones. The core (loader, schema, model, ledger,
rules, diff, show, redline, build) reads profiles only through this module; adding a standard
is adding a folder (docs/新增公开标准.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .findings import ERROR, BudgetError, Finding, Location
from .money import chinese_number
from .vocabulary import SOURCE_GROUPS, SOURCES

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT = "shanxi"


@dataclass(frozen=True)
class TableSpec:
    number: int
    key: str  # what the table is, the same in every profile: income, expenditure, …
    title: str
    builder: str
    options: dict
    unit: str = "万元"
    empty_note: str = ""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str  # the standard's name, for messages: 山西省部门预算公开格式
    tables: tuple[TableSpec, ...]
    office_operation_sources: str  # 财政拨款 or 一般公共预算
    vehicle_categories: tuple[str, ...]
    sources: tuple[str, ...]  # the funding sources its tables tell apart
    requires: tuple[tuple[str, str], ...]  # (path, what it is) of facts the profile prints
    narrative: str  # the module of generator.narratives that computes its text's figures
    config: dict  # the rest of profile.yaml, for the profile's own templates

    @property
    def directory(self) -> str:
        return self.name

    def label(self, number: int) -> str:
        """How the standard numbers a table in text: 表六 (Shanxi) or 表6."""
        return f"表{chinese_number(number) if self.config.get('numbering') == 'chinese' else number}"

    def table(self, key: str) -> TableSpec | None:
        return next((t for t in self.tables if t.key == key), None)


def available() -> list[str]:
    return sorted(p.parent.name for p in TEMPLATE_DIR.glob("*/profile.yaml"))


@lru_cache(maxsize=None)
def load_profile(name: str) -> Profile:
    """The profile called `name`; BudgetError (naming those there are) when there is none."""
    path = TEMPLATE_DIR / name / "profile.yaml"
    if not name.replace("_", "").isalnum() or not path.is_file():
        raise BudgetError([Finding(Location(str(path), 1, 1), ERROR, "standard-unknown",
                                   f"没有名为“{name}”的公开标准；可用的有："
                                   + "、".join(available()))])
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)  # our own file, not user input
    tables = tuple(TableSpec(number=int(t["number"]), key=t["key"], title=t["title"],
                             builder=t["builder"], options=t.get("options") or {},
                             unit=t.get("unit", "万元"), empty_note=t.get("empty_note", ""))
                   for t in data["tables"])
    return Profile(name=name, title=data["title"], tables=tables,
                   office_operation_sources=data.get("office_operation_sources", "财政拨款"),
                   vehicle_categories=tuple(data["vehicle_categories"]),
                   sources=tuple(data.get("sources") or SOURCES),
                   requires=tuple((r["path"], r["what"]) for r in data.get("requires") or []),
                   narrative=data.get("narrative", ""), config=data)


def _missing(data, parts: list[str], trail: tuple = ()) -> list[tuple]:
    """The document paths under `parts` (dotted, `*` for every list item) that are absent:
    (path of the missing key, path of its parent)."""
    if not parts:
        return []
    head, rest = parts[0], parts[1:]
    if head == "*":
        items = enumerate(data) if isinstance(data, list) else ()
        return [m for i, item in items for m in _missing(item, rest, trail + (i,))]
    if not isinstance(data, dict) or data.get(head) in (None, ""):
        return [] if rest[:1] == ["*"] else [(trail + (head,), trail)]  # no list: no items
    return _missing(data[head], rest, trail + (head,))


def requirement_findings(doc, profile: Profile) -> list[Finding]:
    """A located error for each fact the profile prints that the budget does not state."""
    findings = []
    for path, what in profile.requires:
        for missing, parent in _missing(doc.data, path.split(".")):
            if not parent:
                where = Location(doc.path, 1, 1)
            elif isinstance(parent[-1], str):
                where = doc.where_key(*parent)  # the line of the key under which it is missing
            else:
                where = doc.where(*parent)
            findings.append(Finding(where, ERROR, "standard-requires",
                                    f"{profile.title}要印出{what}，本预算没有填写 "
                                    + ".".join(str(p) for p in missing)))
    return findings


def vehicle_findings(doc, profile: Profile) -> list[Finding]:
    """The vehicle categories must be those of the budget's standard, each written."""
    findings, wanted = [], profile.vehicle_categories
    for path in (("assets", "vehicles", "by_category"),
                 ("assets", "planned", "vehicles", "by_category")):
        node = doc.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        for key in node:
            if key not in wanted:
                findings.append(Finding(doc.where_key(*path, key), ERROR, "vehicle-category",
                                        f"“{key}”不是{profile.title}的车辆类别；应为："
                                        + "、".join(wanted)))
        for key in wanted:
            if key not in node:
                findings.append(Finding(doc.where_key(*path), ERROR, "vehicle-category",
                                        f"{profile.title}的车辆类别缺少“{key}”（没有请填 0）"))
    return findings


def source_findings(budget, profile: Profile) -> list[Finding]:
    """Money from a source the profile's tables have no column for would drop out of their
    rows: name each place it is written (Shanxi's 单位资金 in a standard that shows 事业收入,
    其他收入 … separately, say)."""
    findings = []
    for unit in budget.units:
        places = [(source, budget.doc.where_key(*unit.path, "basic", source)) for source in unit.basic]
        places += [(source, budget.doc.where_key(*p.path, "funding", source) if p.itemised
                    else budget.doc.where_key(*p.path))
                   for p in unit.projects + unit.carryover_projects for source in p.funding]
        for source, where in places:
            if source not in profile.sources:
                split = [s for s in SOURCE_GROUPS["单位资金"] if s in profile.sources]
                advice = (f"：请按{'、'.join(split)}分开填写" if source == "单位资金" and split
                          else "，按本标准公开时不能列出这笔钱")
                findings.append(Finding(where, ERROR, "standard-source",
                                        f"{profile.title}的表没有“{source}”一栏{advice}"))
    return findings
