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
from .money import parse_amount, yuan_text

ZERO = Decimal(0)
PERSONNEL_CLASSES = ("301", "303")  # 人员经费; the rest of 基本支出 is 公用经费


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
    public_part: dict = field(default_factory=dict)  # economic code -> 公用经费 inside it

    def split(self, entry: EconomicEntry) -> tuple[Decimal, Decimal]:
        """(人员经费, 公用经费) of an economic entry: 工资福利 and 对个人和家庭的补助 are
        人员经费 but for a 公用经费 part the budget states; every other class is 公用经费."""
        if entry.code[:3] not in PERSONNEL_CLASSES:
            return ZERO, entry.amount
        public = self.public_part.get(entry.code, ZERO)
        return entry.amount - public, public


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
    itemised: bool = True  # False: 项目支出 of one 功能科目, published without its projects

    @property
    def total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)


@dataclass
class Staff:
    authorized: int
    on_post: dict  # category -> count
    other: int

    @property
    def total(self) -> int:
        return sum(self.on_post.values())


@dataclass
class Unit:
    """A budget unit, or (kind "") the department as a whole for money it publishes only in
    total (`whole_department`)."""
    name: str
    kind: str
    staff: Staff | None
    basic: dict  # source -> BasicBlock
    projects: list[Project]  # itemised projects, then 项目支出 published by 功能科目 only
    carryover_projects: list[Project]
    three_public: dict  # fiscal source -> {item: Decimal}
    path: tuple

    @property
    def whole_department(self) -> bool:
        return not self.kind


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
    performance: dict | None
    standard: str = "shanxi"
    staff: Staff | None = None  # the department's, when not published by unit
    office_operation: Decimal | None = None  # 机关运行经费 as published (whole_department)
    purposes: dict = field(default_factory=dict)  # 功能科目 项 code -> “主要用于……”
    performance_coverage: dict | None = None  # {projects, amount} as published
    project_information: list = field(default_factory=list)
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

    @property
    def budget_units(self) -> list[Unit]:
        """The units of 机构设置 (without the whole-department money holder)."""
        return [u for u in self.units if not u.whole_department]

    def projects(self, carryover: bool = False) -> list[Project]:
        """The itemised projects (current year, or carried over)."""
        return [p for u in self.units for p in (u.carryover_projects if carryover else u.projects)
                if p.itemised]


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
            if not kind:  # the whole department mixes 机关 and 事业单位: no one 政府 款
                result.append(EconomicEntry(entry.code, entry.name, entry.amount, entry.where, "", ""))
                continue
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

    def public_part(self, block: dict, path: tuple, entries: list[EconomicEntry]) -> dict:
        """{economic code: 公用经费 part} of the entries of 人员经费 classes it names."""
        amounts = {e.code: e.amount for e in entries}
        result = {}
        for part in self.entries(block.get("public_part") or {}, path + ("public_part",),
                                 self.catalogs.economic_department, 5):
            label = f"{part.code} {part.name}"
            if part.code[:3] not in PERSONNEL_CLASSES or part.code not in amounts:
                self.error(part.where, "public-part",
                           f"public_part 的 {label} 须是 by_economic 中工资福利支出(301)或对个人和家庭的"
                           f"补助(303)的科目")
            elif part.amount > amounts[part.code]:
                self.error(part.where, "public-part",
                           f"{label} 的公用经费部分 {yuan_text(part.amount)} 大于该科目的金额 "
                           f"{yuan_text(amounts[part.code])}")
            else:
                result[part.code] = part.amount
        return result

    def spending(self, data: dict, path: tuple, unit: str) -> list[Project]:
        """项目支出 published by 功能科目 only: one unitemised Project per source and 项."""
        result = []
        for source, amounts in (data or {}).items():
            for entry in self.entries(amounts, path + (source,), self.catalogs.function, 7):
                result.append(Project(name=f"{entry.code} {entry.name}", unit=unit,
                                      function_code=entry.code, function_name=entry.name,
                                      category="", funding={source: entry.amount}, carryover=False,
                                      where=entry.where, path=path + (source,), itemised=False))
        return result

    def unit(self, data: dict, path: tuple, name: str | None = None) -> Unit:
        name, kind = name or str(data["name"]), str(data.get("kind") or "")
        basic = {}
        for source, block in (data.get("basic") or {}).items():
            bpath = path + ("basic", source)
            economic = self.economic_entries(block, bpath, kind)
            basic[source] = BasicBlock(
                source=source,
                by_function=self.entries(block["by_function"], bpath + ("by_function",),
                                         self.catalogs.function, 7),
                by_economic=economic,
                where_function=self.doc.where_key(*bpath, "by_function"),
                where_economic=self.doc.where_key(*bpath, "by_economic"),
                public_part=self.public_part(block, bpath, economic))
        projects = [self.project(p, path + ("projects", i), name, False)
                    for i, p in enumerate(data.get("projects") or [])]
        projects += self.spending(data.get("project_spending"), path + ("project_spending",), name)
        carried = [self.project(p, path + ("carryover_projects", i), name, True)
                   for i, p in enumerate(data.get("carryover_projects") or [])]
        return Unit(name=name, kind=kind, staff=staff(data.get("staff")), basic=basic,
                    projects=[p for p in projects if p], carryover_projects=[p for p in carried if p],
                    three_public={s: self.amounts(items)
                                  for s, items in (data.get("three_public_costs") or {}).items()},
                    path=path)

    def glossary(self, entries: list | None) -> list[dict]:
        """The budget's glossary entries: {term, definition} replaces or adds a term, {term,
        remove: true} leaves the standard's term out."""
        result = []
        for i, entry in enumerate(entries or []):
            remove = str(entry.get("remove", "")).lower()
            if remove not in ("", "true", "false"):
                self.error(self.doc.where("glossary", i, "remove"), "glossary-entry",
                           f"remove 只能写 true（不印这个名词）或 false，写的是“{entry['remove']}”")
            elif (remove == "true") == ("definition" in entry):
                self.error(self.doc.where("glossary", i), "glossary-entry",
                           f"名词“{entry['term']}”：写 definition（替换或新增解释）或 remove: true"
                           "（不印这个名词），二者写一个")
            else:
                result.append({"term": str(entry["term"]), "remove": remove == "true",
                               "definition": str(entry.get("definition", ""))})
        return result

    def purposes(self, mapping: dict | None) -> dict:
        """{项 code: “主要用于……”} of the budget's purpose sentences."""
        result = {}
        for key, text in (mapping or {}).items():
            found = self.classified(self.catalogs.function, key, 7,
                                    self.doc.where_key("purposes", key))
            if found:
                result[found[0]] = str(text)
        return result


def reasons(data: dict | None) -> dict:
    """change_reasons: each reason's text, and the “三公” items' reasons under three_public_items."""
    result = {k: (v or "").strip() for k, v in (data or {}).items() if k != "three_public_items"}
    result["three_public_items"] = {k: (v or "").strip()
                                    for k, v in ((data or {}).get("three_public_items") or {}).items()}
    return result


def staff(data: dict | None) -> Staff | None:
    if not data:
        return None
    return Staff(int(data["authorized"]), {str(k): int(v) for k, v in data["on_post"].items()},
                 int(data["other"]))


def build(doc: Document, catalogs: Catalogs | None = None) -> tuple[Budget, list[Finding]]:
    """The typed budget of a schema-valid document, and the catalogue findings met on the way."""
    builder = _Builder(doc, catalogs or load_catalogs())
    data = doc.data
    units = [builder.unit(u, ("units", i)) for i, u in enumerate(data["units"])]
    whole = data.get("whole_department") or {}
    if whole:
        units.append(builder.unit(whole, ("whole_department",), str(data["department"]["name"])))
    prior = dict(data["prior_year"])
    prior_year = {k: parse_amount(v) for k, v in prior.items()
                  if k not in ("three_public", "by_source")}
    prior_year["three_public"] = builder.amounts(prior.get("three_public"))
    prior_year["by_source"] = builder.amounts(prior.get("by_source"))
    budget = Budget(
        doc=doc, catalogs=builder.catalogs, year=int(data["year"]), status=str(data["status"]),
        department=data["department"], units=units, prior_year=prior_year,
        change_reasons=reasons(data.get("change_reasons")),
        control_totals=dict(data.get("control_totals") or {}),
        procurement=builder.amounts(data["procurement"]),
        assets=data["assets"],
        purchased_services=[{"name": str(s["name"]), "amount": parse_amount(s["amount"])}
                            for s in data.get("purchased_services") or []],
        other_notes=(data.get("other_notes") or "").strip(),
        glossary=builder.glossary(data.get("glossary")),
        performance=data.get("performance"), standard=str(data.get("standard") or "shanxi"),
        staff=staff(data["department"].get("staff")),
        office_operation=parse_amount(whole["office_operation"]) if whole.get("office_operation")
        is not None else None,
        purposes=builder.purposes(data.get("purposes")),
        performance_coverage=({k: (int(v) if k == "projects" else parse_amount(v))
                               for k, v in data["performance_coverage"].items()}
                              if data.get("performance_coverage") else None),
        project_information=list(data.get("project_information") or []),
        unlisted=builder.unlisted)
    return budget, builder.findings
