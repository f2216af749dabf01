"""The typed budget: built from a schema-valid document, amounts as Decimal 元.

Building also checks every classification entry against the catalogues (unknown code, wrong
level, a name that contradicts its code, an economic mapping that does not exist), because
only here is each entry split into code and name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .catalog import LEVELS, Catalog, Catalogs, load_catalogs
from .findings import ERROR, WARNING, Finding, Location
from .loader import Document
from .money import parse_amount

ZERO = Decimal(0)


@dataclass(frozen=True)
class Entry:
    """One amount under a classification code."""
    code: str
    name: str
    amount: Decimal
    where: Location


@dataclass(frozen=True)
class EconomicEntry(Entry):
    government_code: str
    government_name: str


@dataclass
class BasicBlock:
    """基本支出 of one unit from one funding source, entered twice on purpose."""
    source: str
    by_function: list[Entry]
    by_economic: list[EconomicEntry]
    where_function: Location
    where_economic: Location


@dataclass
class Project:
    name: str
    unit: str
    function_code: str
    function_name: str
    category: str
    funding: dict  # source -> Decimal
    carryover: bool
    where: Location
    path: tuple  # document path, for locating its fields
    performance: dict | None = None  # the 绩效目标表 as entered, amounts as Decimal

    @property
    def total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)


@dataclass
class Unit:
    name: str
    kind: str
    staff_authorized: int
    staff_on_post: dict  # category -> count
    staff_other: int
    basic: dict  # source -> BasicBlock
    projects: list[Project]
    carryover_projects: list[Project]
    three_public: dict  # fiscal source -> {item: Decimal}
    path: tuple

    @property
    def staff_total(self) -> int:
        return sum(self.staff_on_post.values())


@dataclass
class Budget:
    doc: Document
    catalogs: Catalogs
    year: int
    status: str
    department: dict
    units: list[Unit]
    prior_year: dict  # name -> Decimal, three_public -> {item: Decimal}
    change_reasons: dict
    control_totals: dict  # source -> raw text (an interval, see money.control_interval)
    procurement: dict
    assets: dict
    purchased_services: list
    other_notes: str
    glossary: list
    performance: dict
    unlisted: dict = field(default_factory=dict)  # function 项 used but not in the catalogue

    @property
    def function_names(self) -> dict:
        """Code → name of the function classification, with the budget's unlisted 项."""
        return {**self.catalogs.function.codes, **self.unlisted}

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def name(self) -> str:
        return self.department["name"]

    def projects(self, carryover: bool = False) -> list[Project]:
        return [p for u in self.units for p in (u.carryover_projects if carryover else u.projects)]


@dataclass
class _Builder:
    doc: Document
    catalogs: Catalogs
    findings: list[Finding] = field(default_factory=list)
    unlisted: dict = field(default_factory=dict)  # function 项 not in the catalogue -> name

    def error(self, where: Location, rule: str, message: str):
        self.findings.append(Finding(where, ERROR, rule, message))

    def classified(self, catalog: Catalog, key: str, digits: int, where: Location):
        """(code, name) of a "code name" entry, or None after reporting what is wrong.  A 项
        the catalogue may merely lack is a warning and is used with the name written."""
        code, name, problem, severity = catalog.lookup(key)
        if problem and severity == ERROR:
            self.error(where, f"catalog-{catalog.name.replace('_', '-')}", problem)
            return None
        if problem:
            self.findings.append(Finding(where, WARNING, "catalog-unlisted", problem))
            self.unlisted[code] = name
        if len(code) != digits:
            self.error(where, "catalog-level",
                       f"“{key}”是{LEVELS.get(len(code), '?')}级科目；此处应填到{LEVELS[digits]}级"
                       f"（{digits} 位编码）")
            return None
        return code, name

    def amounts(self, mapping: dict | None) -> dict:
        return {k: parse_amount(v) for k, v in (mapping or {}).items() if v is not None}

    def entries(self, mapping: dict, path: tuple, catalog: Catalog, digits: int) -> list[Entry]:
        result, seen = [], {}
        for key, value in mapping.items():
            where = self.doc.where_key(*path, key)
            found = self.classified(catalog, key, digits, where)
            if not found:
                continue
            if found[0] in seen:
                self.error(where, "duplicate-code",
                           f"科目 {found[0]} 重复出现（第 {seen[found[0]].line} 行已有）：请合并为一项")
                continue
            seen[found[0]] = where
            result.append(Entry(found[0], found[1], parse_amount(value), where))
        return result

    def economic_entries(self, block: dict, path: tuple, kind: str) -> list[EconomicEntry]:
        cat = self.catalogs
        overrides = {}
        for key, value in (block.get("government_economic") or {}).items():
            where = self.doc.where_key(*path, "government_economic", key)
            dept = self.classified(cat.economic_department, key, 5, where)
            gov = self.classified(cat.economic_government, value, 5,
                                  self.doc.where(*path, "government_economic", key))
            if not (dept and gov):
                continue
            if gov[0] not in cat.allowed_government(dept[0]):
                self.error(where, "catalog-mapping",
                           f"部门经济科目 {key} 不能对应政府经济科目 {value}；对照表允许："
                           + "、".join(f"{c} {cat.economic_government.codes.get(c, '')}"
                                       for c in sorted(cat.allowed_government(dept[0]))))
                continue
            overrides[dept[0]] = gov[0]
        result = []
        entries = self.entries(block["by_economic"], path + ("by_economic",),
                               cat.economic_department, 5)
        for code in set(overrides) - {e.code for e in entries}:
            self.error(self.doc.where_key(*path, "government_economic"), "catalog-mapping",
                       f"government_economic 写了部门经济科目 {code}，但 by_economic 中没有这一科目")
        for entry in entries:
            gov = overrides.get(entry.code) or cat.government_for(entry.code, kind)
            if gov is None:
                self.error(entry.where, "catalog-mapping",
                           f"部门经济科目 {entry.code} {entry.name} 在对照表中没有对应的政府经济科目")
                continue
            result.append(EconomicEntry(entry.code, entry.name, entry.amount, entry.where,
                                        gov, cat.economic_government.codes.get(gov, "")))
        return result

    def project(self, data: dict, path: tuple, unit: str, carryover: bool) -> Project | None:
        found = self.classified(self.catalogs.function, data["function"], 7,
                                self.doc.where(*path, "function"))
        performance = data.get("performance")
        if performance:
            performance = dict(performance)
            performance["funds"] = {period: self.amounts(funds)
                                    for period, funds in performance["funds"].items()}
        if not found:
            return None
        return Project(name=str(data["name"]), unit=unit, function_code=found[0],
                       function_name=found[1], category=str(data["category"]),
                       funding=self.amounts(data["funding"]), carryover=carryover,
                       where=self.doc.where(*path), path=path, performance=performance)

    def unit(self, data: dict, path: tuple) -> Unit:
        name, kind = str(data["name"]), str(data["kind"])
        basic = {}
        for source, block in data["basic"].items():
            bpath = path + ("basic", source)
            basic[source] = BasicBlock(
                source=source,
                by_function=self.entries(block["by_function"], bpath + ("by_function",),
                                         self.catalogs.function, 7),
                by_economic=self.economic_entries(block, bpath, kind),
                where_function=self.doc.where_key(*bpath, "by_function"),
                where_economic=self.doc.where_key(*bpath, "by_economic"))
        projects = [self.project(p, path + ("projects", i), name, False)
                    for i, p in enumerate(data.get("projects") or [])]
        carried = [self.project(p, path + ("carryover_projects", i), name, True)
                   for i, p in enumerate(data.get("carryover_projects") or [])]
        staff = data["staff"]
        return Unit(name=name, kind=kind,
                    staff_authorized=int(staff["authorized"]),
                    staff_on_post={str(k): int(v) for k, v in staff["on_post"].items()},
                    staff_other=int(staff["other"]), basic=basic,
                    projects=[p for p in projects if p], carryover_projects=[p for p in carried if p],
                    three_public={s: self.amounts(items)
                                  for s, items in (data.get("three_public_costs") or {}).items()},
                    path=path)


def build(doc: Document, catalogs: Catalogs | None = None) -> tuple[Budget, list[Finding]]:
    """The typed budget of a schema-valid document, and the catalogue findings met on the way."""
    builder = _Builder(doc, catalogs or load_catalogs())
    data = doc.data
    units = [builder.unit(u, ("units", i)) for i, u in enumerate(data["units"])]
    prior = dict(data["prior_year"])
    prior_year = {k: parse_amount(v) for k, v in prior.items() if k != "three_public"}
    prior_year["three_public"] = builder.amounts(prior.get("three_public"))
    budget = Budget(
        doc=doc, catalogs=builder.catalogs, year=int(data["year"]), status=str(data["status"]),
        department=data["department"], units=units, prior_year=prior_year,
        change_reasons={k: (v or "").strip() for k, v in (data.get("change_reasons") or {}).items()},
        control_totals=dict(data.get("control_totals") or {}),
        procurement=builder.amounts(data["procurement"]),
        assets=data["assets"],
        purchased_services=[{"name": str(s["name"]), "amount": parse_amount(s["amount"])}
                            for s in data.get("purchased_services") or []],
        other_notes=(data.get("other_notes") or "").strip(),
        glossary=list(data.get("glossary") or []),
        performance=data["performance"], unlisted=builder.unlisted)
    return budget, builder.findings
