"""Derive the 13 standard tables and the figures of 第三部分 from a typed budget.

Everything here is exact Decimal 元; nothing is rounded (templates round once, for display).
Each table is plain data — rows with code, name, level and cells — so that templates do no
arithmetic and tests can compare tables cell by cell with a published disclosure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from .model import ZERO, Budget, Project
from .money import percent
from .vocabulary import (ADMINISTRATIVE_KINDS, EXPENDITURE_CLASSES, FISCAL_SOURCES, GENERAL,
                         SOURCES, THREE_PUBLIC_NAMES)

PERSONNEL_CLASSES = ("301", "303")  # 人员经费; the rest of 基本支出 is 公用经费
# 表十's rows: the items, the vehicles' two together, then each of the two (numbered, as printed)
THREE_PUBLIC_ROWS = (
    (THREE_PUBLIC_NAMES["outbound_travel"], ("outbound_travel",)),
    (THREE_PUBLIC_NAMES["reception"], ("reception",)),
    ("公务用车购置及运行费", ("vehicle_purchase", "vehicle_operation")),
    ("①" + THREE_PUBLIC_NAMES["vehicle_purchase"], ("vehicle_purchase",)),
    ("②" + THREE_PUBLIC_NAMES["vehicle_operation"], ("vehicle_operation",)),
)

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (enough for the 30 rows of 表一)."""
    tens, ones = divmod(n, 10)
    text = (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (_DIGITS[ones] if ones else "")


@dataclass
class Row:
    name: str
    cells: list  # Decimal per column; None where the cell does not exist (printed blank)
    code: str = ""
    level: int = 1  # 0 合计 / 1 类 / 2 款 / 3 项 (function); 1 类 / 2 款 (economic)
    kind: str = "item"  # "total" rows are the 合计 lines
    name2: str = ""  # the right-hand label of two-sided tables (表一, 表四, 表六, 表九)
    code2: str = ""


@dataclass
class Table:
    number: int
    title: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    # Two-sided tables (表一, 表四, 表九): the first `left_columns` cells belong to the row's
    # left-hand label, the others to its right-hand one (name2), e.g. 表一's 收入 cell of
    # “一、一般公共预算” and the 支出 cells of “201 一、一般公共服务支出” on the same line.
    left_columns: int = 0

    def side_label(self, row: Row, column: int) -> str:
        """The row as a reader names the cell in `column`: on a two-sided table, the label of
        that cell's side (a code goes with the right side unless that side has its own)."""
        if not self.left_columns:
            label = " ".join(p for p in (row.code, row.name) if p)
            return f"{label} | {row.name2}" if row.name2 and label else (label or row.name2)
        if column < self.left_columns:
            return " ".join(p for p in (row.code if row.code2 else "", row.name) if p)
        return " ".join(p for p in (row.code2 or row.code, row.name2) if p)

    @property
    def empty(self) -> bool:
        return not any(c for row in self.rows for c in row.cells if c)

    def row(self, name: str, code: str = "") -> Row:
        """The first row with this name (and code): for tests and the narrative."""
        return next(r for r in self.rows if r.name == name and (not code or r.code == code))


@dataclass(frozen=True)
class Line:
    """One amount of expenditure: the atom every function-classified table sums."""
    unit: str
    source: str
    function_code: str
    basic: bool  # 基本支出, else 项目支出
    carryover: bool  # 上年结转
    amount: Decimal


def ledger(budget: Budget) -> list[Line]:
    lines = []
    for unit in budget.units:
        for source, block in unit.basic.items():
            lines += [Line(unit.name, source, e.code, True, False, e.amount) for e in block.by_function]
        for project in unit.projects + unit.carryover_projects:
            lines += [Line(unit.name, source, project.function_code, False, project.carryover, amount)
                      for source, amount in project.funding.items()]
    return lines


Predicate = Callable[[Line], bool]


def function_rows(budget: Budget, lines: list[Line], columns: list[Predicate]) -> list[Row]:
    """合计 and one row per 类, 款 and 项 that has money, each cell the sum of its lines."""
    sums: dict[str, list[Decimal]] = {}
    total = [ZERO] * len(columns)
    for line in lines:
        hits = [i for i, column in enumerate(columns) if column(line)]
        for code in budget.catalogs.function.parents(line.function_code):
            cells = sums.setdefault(code, [ZERO] * len(columns))
            for i in hits:
                cells[i] += line.amount
        for i in hits:
            total[i] += line.amount
    names = budget.function_names
    rows = [Row("合计", total, level=0, kind="total")]
    rows += [Row(names[code], sums[code], code=code, level={3: 1, 5: 2, 7: 3}[len(code)])
             for code in sorted(sums) if any(sums[code])]
    return rows


def class_totals(budget: Budget, lines: list[Line], columns: list[Predicate]) -> list[Row]:
    """The fixed 30 类 rows of 表一/表四, numbered 一、… 三十、."""
    by_class = {r.code: r.cells for r in function_rows(budget, lines, columns) if r.level == 1}
    names = budget.function_names
    return [Row(f"{chinese_number(i)}、{names.get(code, code)}",
                by_class.get(code, [ZERO] * len(columns)), code=code)
            for i, code in enumerate(EXPENDITURE_CLASSES, 1)]


def _sum(lines, test: Predicate = lambda line: True) -> Decimal:
    return sum((line.amount for line in lines if test(line)), ZERO)


def _is(source) -> Predicate:
    return lambda line: line.source == source


def _current(line: Line) -> bool:
    return not line.carryover


def _fiscal(line: Line) -> bool:
    return line.source in FISCAL_SOURCES


def _basic(line: Line) -> bool:
    return line.basic


def _project(line: Line) -> bool:
    return not line.basic


def _all(line: Line) -> bool:
    return True


def _and(*tests: Predicate) -> Predicate:
    return lambda line: all(t(line) for t in tests)


class Derived:
    """The tables and narrative figures of one budget, computed once."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.lines = ledger(budget)
        self.tables = {n: getattr(self, f"_table{n}")() for n in range(1, 14)}
        self.figures = self._figures()

    # ---- sums used by several tables and the narrative ------------------------------------

    def total(self, *tests: Predicate) -> Decimal:
        return _sum(self.lines, _and(*tests))

    def economic(self, source: str = GENERAL) -> list:
        """基本支出 of `source` by 部门经济科目 款 and the 政府 款 it maps to, summed over
        units: [(entry, amount)].  The same 部门 款 of a 机关 and of a 事业单位 map to
        different 政府 款, so they stay two rows."""
        sums: dict[tuple, list] = {}
        for unit in self.budget.units:
            block = unit.basic.get(source)
            for entry in block.by_economic if block else []:
                key = (entry.code, entry.government_code)
                if key in sums:
                    sums[key][1] += entry.amount
                else:
                    sums[key] = [entry, entry.amount]
        return [tuple(sums[key]) for key in sorted(sums)]

    def office_operation(self, unit=None, source=None) -> Decimal:
        """机关运行经费: 公用经费 of administrative units paid by 财政拨款."""
        total = ZERO
        for u in self.budget.units:
            if u.kind not in ADMINISTRATIVE_KINDS or (unit and u.name != unit):
                continue
            for s, block in u.basic.items():
                if s in FISCAL_SOURCES and (source is None or s == source):
                    total += sum((e.amount for e in block.by_economic
                                  if e.code[:3] not in PERSONNEL_CLASSES), ZERO)
        return total

    def three_public(self, items, source=None) -> Decimal:
        return sum((amounts.get(item, ZERO)
                    for unit in self.budget.units
                    for s, amounts in unit.three_public.items() if source in (None, s)
                    for item in items), ZERO)

    # ---- the 13 tables ----------------------------------------------------------------------

    def _table1(self) -> Table:
        lines = self.lines
        income = [self.total(_current, _is(s)) for s in SOURCES]
        rows = class_totals(self.budget, lines, [_all, _current, lambda l: l.carryover])
        labels = ["一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算",
                  "四、财政专户管理资金", "五、单位资金"]
        for row in rows:
            row.name2, row.name = row.name, ""
            row.cells = [None] + row.cells
        for i, (label, amount) in enumerate(zip(labels, income)):
            rows[i].name, rows[i].cells[0] = label, amount
        current, carried = self.total(_current), self.total(lambda l: l.carryover)
        rows += [
            Row("本年收入合计", [current, current + carried, current, carried], kind="total",
                name2="本年支出合计"),
            Row("上年结转", [carried, None, None, None], name2="年终结转"),
            Row("收入总计", [current + carried, current + carried, current, carried],
                kind="total", name2="支出总计"),
        ]
        return Table(1, "预算收支总表", ["收入", "合计", "当年预算安排", "上年结转安排"], rows,
                     left_columns=1)

    def _table2(self) -> Table:
        columns = [_current] + [_and(_current, _is(s)) for s in SOURCES] + [lambda l: l.carryover]
        return Table(2, "预算收入总表", ["合计", *SOURCES, "上年结转"],
                     function_rows(self.budget, self.lines, columns))

    def _table3(self) -> Table:
        return Table(3, "预算支出总表", ["合计", "基本支出", "项目支出"],
                     function_rows(self.budget, self.lines, [_all, _basic, _project]))

    def _table4(self) -> Table:
        fiscal = [l for l in self.lines if _fiscal(l)]
        rows = class_totals(self.budget, fiscal, [_all] + [_is(s) for s in FISCAL_SOURCES])
        for row in rows:
            row.name2, row.name = row.name, ""
            row.cells = [None] + row.cells
        income = [_sum(fiscal, _and(_current, _is(s))) for s in FISCAL_SOURCES]
        carried = [_sum(fiscal, _and(lambda l: l.carryover, _is(s))) for s in FISCAL_SOURCES]
        labels = ["一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算"]
        for i, (label, amount) in enumerate(zip(labels, income)):
            rows[i].name, rows[i].cells[0] = label, amount
        spent = [_sum(fiscal)] + [_sum(fiscal, _is(s)) for s in FISCAL_SOURCES]
        blank = [None] * 4
        rows += [Row("本年收入合计", [sum(income, ZERO)] + spent, kind="total", name2="本年支出合计"),
                 Row("上年财政拨款结转", [sum(carried, ZERO)] + blank, name2="年终结转")]
        rows += [Row(label, [amount] + blank) for label, amount in zip(labels, carried)]
        rows.append(Row("收入总计", [_sum(fiscal)] + spent, kind="total", name2="支出总计"))
        return Table(4, "财政拨款收支总表", ["金额", "小计", *FISCAL_SOURCES], rows,
                     left_columns=1)

    def _table5(self) -> Table:
        lines = [l for l in self.lines if l.source == GENERAL and not l.carryover]
        return Table(5, "一般公共预算支出预算表（不含上年结转）", ["合计", "基本支出", "项目支出"],
                     function_rows(self.budget, lines, [_all, _basic, _project]))

    def _table6(self) -> Table:
        rows, total = [], [ZERO] * 3
        by_class: dict[str, list] = {}
        for entry, amount in self.economic(GENERAL):
            personnel = entry.code[:3] in PERSONNEL_CLASSES
            cells = [amount, amount if personnel else None, None if personnel else amount]
            by_class.setdefault(entry.code[:3], []).append(
                Row(entry.name, cells, code=entry.code, level=2, name2=entry.government_name,
                    code2=entry.government_code))
        for code, items in by_class.items():
            personnel = code in PERSONNEL_CLASSES
            amount = sum((r.cells[0] for r in items), ZERO)
            name = self.budget.catalogs.economic_department.codes[code]
            rows.append(Row(name, [amount, amount if personnel else None,
                                   None if personnel else amount], code=code, level=1))
            rows += items
            total[0] += amount
            total[1 if personnel else 2] += amount
        return Table(6, "一般公共预算安排基本支出分经济科目表（不含上年结转）",
                     ["合计", "人员经费", "公用经费"],
                     [Row("合计", total, level=0, kind="total")] + rows)

    def _fund_rows(self, source: str, columns: list[Predicate]) -> list[Row]:
        lines = [l for l in self.lines if l.source == source and not l.carryover]
        return function_rows(self.budget, lines, columns)

    def _table7(self) -> Table:
        return Table(7, "政府性基金预算收入表（不含上年结转）", ["政府性基金收入预算"],
                     self._fund_rows("政府性基金预算", [_all]))

    def _table8(self) -> Table:
        return Table(8, "政府性基金预算支出表（不含上年结转）", ["合计", "基本支出", "项目支出"],
                     self._fund_rows("政府性基金预算", [_all, _basic, _project]))

    def _table9(self) -> Table:
        income = self._fund_rows("国有资本经营预算", [_all])
        spent = self._fund_rows("国有资本经营预算", [_all, _basic, _project])
        rows = []
        for left, right in zip(income, spent):  # the same codes on both sides, in order
            rows.append(Row(left.name, left.cells + right.cells, code=left.code, level=left.level,
                            kind=left.kind, name2=right.name, code2=right.code))
        return Table(9, "国有资本经营预算收支预算表（不含上年结转）",
                     ["国有资本经营收入预算", "合计", "基本支出", "项目支出"], rows,
                     left_columns=1)

    def _table10(self) -> Table:
        rows = []
        for label, items in THREE_PUBLIC_ROWS:
            rows.append(Row(label, [self.three_public(items)]
                            + [self.three_public(items, s) for s in FISCAL_SOURCES],
                            level=2 if label[0] in "①②" else 1))
        every = THREE_PUBLIC_ROWS[0][1] + THREE_PUBLIC_ROWS[1][1] + THREE_PUBLIC_ROWS[2][1]
        rows.append(Row("合计", [self.three_public(every)]
                        + [self.three_public(every, s) for s in FISCAL_SOURCES], kind="total"))
        return Table(10, "财政拨款安排“三公”经费支出预算表", ["合计", *FISCAL_SOURCES], rows)

    def _table11(self) -> Table:
        def cells(unit=None):
            return ([self.office_operation(unit)]
                    + [self.office_operation(unit, s) for s in FISCAL_SOURCES])

        rows = [Row("部门合计", cells(), level=0, kind="total")]
        rows += [Row(u.name, cells(u.name)) for u in self.budget.units
                 if u.kind in ADMINISTRATIVE_KINDS]
        return Table(11, "财政拨款安排机关运行经费预算表", ["合计", *FISCAL_SOURCES], rows)

    def _project_rows(self, carryover: bool, sources) -> list[Row]:
        def cells(projects: list[Project]):
            per_source = [sum((p.funding.get(s, ZERO) for p in projects), ZERO) for s in sources]
            return [sum((p.total for p in projects), ZERO)] + per_source

        every = self.budget.projects(carryover)
        rows = [Row(self.budget.name, cells(every), level=0, kind="total")]
        for unit in self.budget.units:
            projects = unit.carryover_projects if carryover else unit.projects
            if projects:
                rows.append(Row(unit.name, cells(projects), level=1))
                rows += [Row(p.name, cells([p]), level=2) for p in projects]
        return rows

    def _table12(self) -> Table:
        return Table(12, "项目支出预算表（本年预算）", ["合计", *SOURCES],
                     self._project_rows(False, SOURCES))

    def _table13(self) -> Table:
        # The standard table has the three 财政拨款 columns; a carry-over of 财政专户管理资金
        # or 单位资金 gets its own column too, so that 合计 is always the sum of the row.
        others = [s for s in SOURCES[3:] if any(p.funding.get(s) for p in self.budget.projects(True))]
        sources = [*FISCAL_SOURCES, *others]
        return Table(13, "项目支出预算表（上年结转）", ["合计", *sources],
                     self._project_rows(True, sources))

    # ---- 第三部分 ---------------------------------------------------------------------------

    def _figures(self) -> dict:
        b, prior = self.budget, self.budget.prior_year
        current, carried = self.total(_current), self.total(lambda l: l.carryover)
        total = current + carried
        general_current = self.total(_current, _is(GENERAL))
        economic = self.economic(GENERAL)
        personnel = [(e, a) for e, a in economic if e.code[:3] in PERSONNEL_CLASSES]
        public = [(e, a) for e, a in economic if e.code[:3] not in PERSONNEL_CLASSES]
        office = self.office_operation()
        three = {item: self.three_public((item,)) for _, items in THREE_PUBLIC_ROWS[:3]
                 for item in items}
        projects = b.projects()
        by_category = {}
        for p in projects:
            count, amount = by_category.get(p.category, (0, ZERO))
            by_category[p.category] = (count + 1, amount + p.total)

        def change(now, before):
            return {"now": now, "before": before, "change": now - before,
                    "percent": percent(now - before, before)}

        def shares(parts: dict, whole):
            return {k: {"amount": v, "percent": percent(v, whole) or ZERO} for k, v in parts.items()}

        fiscal_by_source = {s: self.total(_is(s)) for s in FISCAL_SOURCES}
        return {
            "total": change(total, prior["total"]),
            "current": current,
            "carryover": carried,
            "income_shares": shares({**{s: self.total(_current, _is(s)) for s in SOURCES},
                                     "上年结转": carried}, total),
            "expenditure_shares": shares({"基本支出": self.total(_basic),
                                          "项目支出": self.total(_project)}, total),
            "fiscal": {"total": self.total(_fiscal), "by_source": fiscal_by_source,
                       "current": self.total(_fiscal, _current),
                       "carryover": self.total(_fiscal, lambda l: l.carryover),
                       "by_class": [r for r in class_totals(b, [l for l in self.lines if _fiscal(l)],
                                                             [_all]) if r.cells[0]]},
            "general": change(general_current, prior["general_budget"]),
            "general_by_class": [r for r in class_totals(
                b, [l for l in self.lines if l.source == GENERAL and not l.carryover], [_all])
                if r.cells[0]],
            "general_basic": {"total": sum((a for _, a in economic), ZERO),
                              "personnel": sum((a for _, a in personnel), ZERO),
                              "personnel_items": list(dict.fromkeys(e.name for e, _ in personnel)),
                              "public": sum((a for _, a in public), ZERO),
                              "public_items": list(dict.fromkeys(e.name for e, _ in public))},
            "three_public": {"items": three, "total": sum(three.values(), ZERO),
                             "prior": prior["three_public"],
                             "prior_total": sum(prior["three_public"].values(), ZERO)},
            "office_operation": change(office, prior["office_operation"]),
            "procurement": b.procurement,
            "performance": {
                "total": self.total(_current),
                "basic": self.total(_current, _basic),
                "project": self.total(_current, _project),
                "units": len(b.units),
                "projects": len(projects),
                "projects_amount": sum((p.total for p in projects), ZERO),
                "by_category": by_category,
            },
        }


def derive(budget: Budget) -> Derived:
    return Derived(budget)
