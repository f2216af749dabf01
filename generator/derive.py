"""The derived disclosure of a budget in one profile: its tables and its narrative figures.

The tables are the profile's (generator.tables builds each from its spec); the figures of
the narrative are computed here once, from the same ledger, for every profile alike: totals
by source and by kind, year-on-year changes, “三公” items, 机关运行经费 (as the profile defines
it), procurement and performance coverage. Everything is exact Decimal 元; nothing is rounded
(templates round once, for display).
"""
from __future__ import annotations

from decimal import Decimal

from .model import PERSONNEL_CLASSES, ZERO, Budget
from .money import percent
from .profiles import DEFAULT, Profile, load_profile
from .tables import (Builders, Predicate, Table, build_table, class_rows, ledger, lines_filter,
                     sources, total)
from .vocabulary import (ADMINISTRATIVE_KINDS, FISCAL_SOURCES, GENERAL, SOURCE_GROUPS, SOURCES,
                         THREE_PUBLIC)

CURRENT = lines_filter({"year": "当年"})
CARRIED = lines_filter({"year": "上年结转"})
BASIC = lines_filter({"kind": "基本支出"})
PROJECT = lines_filter({"kind": "项目支出"})
FISCAL = lines_filter({"source": "财政拨款"})


def _is(source) -> Predicate:
    return lines_filter({"source": source})


def _and(*tests: Predicate) -> Predicate:
    return lambda line: all(t(line) for t in tests)


class Derived:
    """The tables and narrative figures of one budget in one profile, computed once."""

    def __init__(self, budget: Budget, profile: Profile | None = None):
        self.budget = budget
        self.profile = profile or load_profile(budget.standard or DEFAULT)
        self.lines = ledger(budget)
        builders = Builders(budget, self.lines, self)
        self.tables = {spec.number: build_table(spec, builders) for spec in self.profile.tables}
        self.figures = self._figures()
        self.narrative_context = None  # the profile's narrative, made on first use (narratives)

    def table(self, key: str) -> Table | None:
        """The profile's table of a kind (income, expenditure, …), if it has one."""
        spec = self.profile.table(key)
        return self.tables[spec.number] if spec else None

    # ---- sums used by several tables and the narrative ------------------------------------

    def total(self, *tests: Predicate) -> Decimal:
        return total(self.lines, _and(*tests))

    def economic(self, source: str = GENERAL) -> list:
        """基本支出 of `source` by 部门经济科目 款 and the 政府 款 it maps to, summed over
        units: [(entry, 人员经费, 公用经费)].  The same 部门 款 of a 机关 and of a 事业单位 map
        to different 政府 款, so they stay two rows."""
        sums: dict[tuple, list] = {}
        for unit in self.budget.units:
            block = unit.basic.get(source)
            for entry in block.by_economic if block else []:
                key = (entry.code, entry.government_code)
                personnel, public = block.split(entry)
                if key in sums:
                    sums[key][1] += personnel
                    sums[key][2] += public
                else:
                    sums[key] = [entry, personnel, public]
        rows = []
        for key in sorted(sums):
            entry, personnel, public = sums[key]
            rows.append((type(entry)(entry.code, entry.name, personnel + public, entry.where,
                                     entry.government_code, entry.government_name),
                         personnel, public))
        return rows

    def office_operation(self, unit: str | None = None, source: str | None = None) -> Decimal:
        """机关运行经费: 公用经费 of administrative units from the sources the profile counts
        (all 财政拨款, or 一般公共预算 only), or the figure the budget states for the whole
        department when its units' 公用经费 are not published."""
        counted = sources(self.profile.office_operation_sources)
        if self.budget.office_operation is not None and unit is None:
            return self.budget.office_operation if source in (None, GENERAL) else ZERO
        result = ZERO
        for u in self.budget.units:
            if u.kind not in ADMINISTRATIVE_KINDS or (unit and u.name != unit):
                continue
            for s, block in u.basic.items():
                if s in counted and (source is None or s in sources(source)):
                    result += sum((block.split(e)[1] for e in block.by_economic), ZERO)
        return result

    def three_public(self, items, source=None) -> Decimal:
        wanted = sources(source) if source else None
        return sum((amounts.get(item, ZERO)
                    for unit in self.budget.units
                    for s, amounts in unit.three_public.items() if wanted is None or s in wanted
                    for item in items), ZERO)

    def named(self, expression: str) -> Decimal:
        """A figure a profile's table names: “three_public reception”, “three_public
        vehicle_purchase+vehicle_operation 一般公共预算”, “three_public all”, “office_operation
        一般公共预算”."""
        kind, *args = expression.split()
        if kind == "three_public":
            items = THREE_PUBLIC if args[0] == "all" else tuple(args[0].split("+"))
            return self.three_public(items, args[1] if len(args) > 1 else None)
        if kind == "office_operation":
            return self.office_operation(None, args[0] if args else None)
        raise ValueError(f"unknown figure {expression!r} in a profile")  # the profile's bug

    # ---- the narrative's figures --------------------------------------------------------

    def _figures(self) -> dict:
        b, prior = self.budget, self.budget.prior_year
        current, carried = self.total(CURRENT), self.total(CARRIED)
        grand = current + carried
        economic = self.economic(GENERAL)
        office = self.office_operation()
        three = {item: self.three_public((item,)) for item in THREE_PUBLIC}
        projects = b.projects()
        by_category = {}
        for p in projects:
            count, amount = by_category.get(p.category, (0, ZERO))
            by_category[p.category] = (count + 1, amount + p.total)
        with_targets = [p for p in projects if p.performance]
        coverage = b.performance_coverage or {
            "projects": len(with_targets), "amount": sum((p.total for p in with_targets), ZERO)}
        prior_by_source = prior["by_source"]

        def change(now, before):
            if before is None:
                return {"now": now, "before": None, "change": None, "percent": None}
            return {"now": now, "before": before, "change": now - before,
                    "percent": percent(now - before, before)}

        def shares(parts: dict, whole):
            return {k: {"amount": v, "percent": percent(v, whole) or ZERO} for k, v in parts.items()}

        def prior_of(names):
            chosen = sources(names)
            if not prior_by_source:
                return None
            return sum((v for k, v in prior_by_source.items() if k in chosen), ZERO)

        income = {s: self.total(CURRENT, _is(s)) for s in (*SOURCES, *SOURCE_GROUPS)}
        fiscal_by_source = {s: self.total(_is(s)) for s in FISCAL_SOURCES}
        general_current = income[GENERAL]
        return {
            "total": change(grand, prior.get("total")),
            "current": current,
            "carryover": carried,
            "income_shares": shares({**income, "上年结转": carried}, grand),
            "expenditure_shares": shares({"基本支出": self.total(BASIC),
                                          "项目支出": self.total(PROJECT)}, grand),
            "fiscal": {"total": self.total(FISCAL), "by_source": fiscal_by_source,
                       "current": self.total(FISCAL, CURRENT),
                       "carryover": self.total(FISCAL, CARRIED),
                       "change": change(self.total(FISCAL), prior_of("财政拨款")),
                       "source_changes": {s: change(fiscal_by_source[s], prior_of(s))
                                          for s in FISCAL_SOURCES},
                       "by_class": [r for r in class_rows(b, [l for l in self.lines if FISCAL(l)],
                                                          [lambda line: True]) if r.cells[0]]},
            "general": change(general_current, prior.get("general_budget", prior_of(GENERAL))),
            "general_by_class": [r for r in class_rows(
                b, [l for l in self.lines if l.source == GENERAL and not l.carryover],
                [lambda line: True]) if r.cells[0]],
            "general_basic": {
                "total": sum((e.amount for e, _, _ in economic), ZERO),
                "personnel": sum((p for _, p, _ in economic), ZERO),
                "personnel_items": list(dict.fromkeys(
                    e.name for e, p, q in economic if p or (not q and e.code[:3] in PERSONNEL_CLASSES))),
                "public": sum((q for _, _, q in economic), ZERO),
                "public_items": list(dict.fromkeys(
                    e.name for e, p, q in economic if q or (not p and e.code[:3] not in PERSONNEL_CLASSES)))},
            "three_public": {"items": three, "total": sum(three.values(), ZERO),
                             "prior": prior["three_public"],
                             "prior_total": sum(prior["three_public"].values(), ZERO)},
            "office_operation": change(office, prior.get("office_operation")),
            "procurement": b.procurement,
            "performance": {
                "total": self.total(CURRENT),
                "basic": self.total(CURRENT, BASIC),
                "project": self.total(CURRENT, PROJECT),
                "units": len(b.budget_units),
                "projects": len(projects),
                "projects_amount": sum((p.total for p in projects), ZERO),
                "by_category": by_category,
                "coverage": coverage,
            },
        }


def derive(budget: Budget, profile: Profile | None = None) -> Derived:
    return Derived(budget, profile)
