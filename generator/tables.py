"""The tables of a disclosure, built from the budget's ledger by the builders a profile names.

A profile (templates/<name>/profile.yaml) lists its tables; each names one builder below and
gives it options written as data — which lines a column sums (`{source: 财政拨款, kind:
基本支出, year: 当年}`), which rows an income side has, which figures a row shows. No builder
knows a particular region's table: Shanxi's 表一 and Shanghai's 表1 are the same `summary`
builder with other options. Every cell is exact Decimal 元; templates round once, for display.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest
from typing import Callable

from .model import ZERO, Budget, Project
from .money import chinese_number
from .vocabulary import ADMINISTRATIVE_KINDS, EXPENDITURE_CLASSES, SOURCE_GROUPS, SOURCES

@dataclass
class Row:
    name: str
    cells: list  # Decimal per column; None where the cell does not exist (printed blank)
    code: str = ""
    level: int = 1  # 0 合计 / 1 类 / 2 款 / 3 项 (function); 1 类 / 2 款 (economic)
    kind: str = "item"  # "total" rows are the 合计 lines
    name2: str = ""  # the right-hand label of two-sided tables (收支总表)
    code2: str = ""


@dataclass
class Table:
    number: int
    title: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    # Two-sided tables (收支总表): the first `left_columns` cells belong to the row's left-hand
    # label, the others to its right-hand one (name2), e.g. 表一's 收入 cell of “一、一般公共
    # 预算” and the 支出 cells of “201 一、一般公共服务支出” on the same line.
    left_columns: int = 0
    key: str = ""  # what the table is, the same in every profile (income, expenditure, …)
    builder: str = ""  # the builder that made it (summary, function, …)
    unit: str = "万元"  # the unit the table prints in
    empty_note: str = ""  # printed under the table when it has no figures

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


def sources(names) -> tuple[str, ...]:
    """The sources a profile names: a source, a group (财政拨款, 单位资金) or a list of them."""
    names = [names] if isinstance(names, str) else list(names)
    return tuple(s for name in names for s in SOURCE_GROUPS.get(name, (name,)))


def lines_filter(spec: dict | None) -> Predicate:
    """The lines a spec such as {source: 财政拨款, kind: 基本支出, year: 当年} selects."""
    spec = spec or {}
    wanted = sources(spec["source"]) if "source" in spec else None
    kind, year = spec.get("kind"), spec.get("year")
    return lambda line: ((wanted is None or line.source in wanted)
                         and (kind is None or line.basic == (kind == "基本支出"))
                         and (year is None or line.carryover == (year == "上年结转")))


def total(lines: list[Line], test: Predicate = lambda line: True) -> Decimal:
    return sum((line.amount for line in lines if test(line)), ZERO)


def function_rows(budget: Budget, lines: list[Line], columns: list[Predicate]) -> list[Row]:
    """合计 and one row per 类, 款 and 项 that has money, each cell the sum of its lines."""
    sums: dict[str, list[Decimal]] = {}
    grand = [ZERO] * len(columns)
    for line in lines:
        hits = [i for i, column in enumerate(columns) if column(line)]
        for code in budget.catalogs.function.parents(line.function_code):
            cells = sums.setdefault(code, [ZERO] * len(columns))
            for i in hits:
                cells[i] += line.amount
        for i in hits:
            grand[i] += line.amount
    names = budget.function_names
    rows = [Row("合计", grand, level=0, kind="total")]
    rows += [Row(names[code], sums[code], code=code, level={3: 1, 5: 2, 7: 3}[len(code)])
             for code in sorted(sums) if any(sums[code])]
    return rows


def class_rows(budget: Budget, lines: list[Line], columns: list[Predicate],
               every: bool = True) -> list[Row]:
    """The 类 rows numbered 一、… : all 30 in their fixed order (`every`), or those with money."""
    by_class = {r.code: r.cells for r in function_rows(budget, lines, columns) if r.level == 1}
    codes = EXPENDITURE_CLASSES if every else [c for c in EXPENDITURE_CLASSES if c in by_class]
    names = budget.function_names
    return [Row(f"{chinese_number(i)}、{names.get(code, code)}",
                by_class.get(code, [ZERO] * len(columns)), code=code)
            for i, code in enumerate(codes, 1)]


class Builders:
    """The table builders, by the name a profile's spec gives (`builder: function`)."""

    def __init__(self, budget: Budget, lines: list[Line], figures):
        self.budget, self.lines, self.figures = budget, lines, figures

    def scope(self, options: dict) -> list[Line]:
        """The lines the whole table sums (its `lines` option)."""
        test = lines_filter(options.get("lines"))
        return [line for line in self.lines if test(line)]

    @staticmethod
    def column_tests(columns: list[dict]) -> list[Predicate]:
        return [lines_filter(c.get("lines")) for c in columns]

    def function(self, options: dict) -> tuple[list[Row], dict]:
        """合计 and the 类/款/项 rows of the lines in scope, a cell per column."""
        return function_rows(self.budget, self.scope(options),
                             self.column_tests(options["columns"])), {}

    def summary(self, options: dict) -> tuple[list[Row], dict]:
        """A 收支总表: income rows on the left beside the 类 of expenditure on the right, then
        the total lines. `income`: [{label, lines}] under the column `income_label` (收入);
        `classes`: all (the 30 in order) or present; `totals`: [[left label, lines, right
        label, lines or null]] (a right side of null prints blank; otherwise the columns
        summed over those lines)."""
        scope = self.scope(options)
        tests = self.column_tests(options["columns"])
        right = class_rows(self.budget, scope, tests, options.get("classes", "all") == "all")
        income = [(item["label"], total(scope, lines_filter(item.get("lines"))))
                  for item in options["income"]]
        rows = []
        for left, row in zip_longest(income, right):
            label, amount = left if left else ("", None)
            rows.append(Row(label, [amount] + (row.cells if row else [None] * len(tests)),
                            code=row.code if row else "", name2=row.name if row else ""))
        for left_label, left_lines, right_label, right_lines in options.get("totals", []):
            amount = total(scope, lines_filter(left_lines))
            if right_lines is None:
                cells = [None] * len(tests)
            else:
                right = lines_filter(right_lines)
                chosen = [line for line in scope if right(line)]
                cells = [total(chosen, test) for test in tests]
            # the 合计 lines are totals; 上年结转 / 年终结转 and the like are not
            kind = "total" if "计" in left_label + right_label else "item"
            rows.append(Row(left_label, [amount] + cells, kind=kind, name2=right_label))
        return rows, {"left_columns": 1, "columns": [options.get("income_label", "收入")]
                      + [c["label"] for c in options["columns"]]}

    def function_pair(self, options: dict) -> tuple[list[Row], dict]:
        """Income and expenditure of one fund side by side, row by row on the same codes."""
        scope = self.scope(options)
        income = function_rows(self.budget, scope, self.column_tests(options["income"]))
        spent = function_rows(self.budget, scope, self.column_tests(options["columns"]))
        rows = [Row(left.name, left.cells + right.cells, code=left.code, level=left.level,
                    kind=left.kind, name2=right.name, code2=right.code)
                for left, right in zip(income, spent)]
        return rows, {"left_columns": len(options["income"]),
                      "columns": [c["label"] for c in options["income"] + options["columns"]]}

    def economic(self, options: dict) -> tuple[list[Row], dict]:
        """基本支出 of one source by 部门经济科目 类 and 款: 合计, 人员经费, 公用经费."""
        rows, grand = [], [ZERO] * 3
        by_class: dict[str, list] = {}
        for entry, personnel, public in self.figures.economic(options["source"]):
            by_class.setdefault(entry.code[:3], []).append(
                Row(entry.name, [entry.amount, personnel or None, public or None], code=entry.code,
                    level=2, name2=entry.government_name, code2=entry.government_code))
        for code, items in by_class.items():
            cells = [sum((r.cells[i] or ZERO for r in items), ZERO) for i in range(3)]
            name = self.budget.catalogs.economic_department.codes[code]
            rows.append(Row(name, [c or None if i else c for i, c in enumerate(cells)],
                            code=code, level=1))
            rows += items
            grand = [g + c for g, c in zip(grand, cells)]
        return [Row("合计", grand, level=0, kind="total")] + rows, {}

    def figures_rows(self, options: dict) -> tuple[list[Row], dict]:
        """Rows of named figures (“三公” items, 机关运行经费), e.g. {label: 公务接待费, cells:
        [three_public reception, three_public reception 一般公共预算]}: see Figures.named."""
        rows = []
        for spec in options["rows"]:
            label = spec.get("label", "")
            rows.append(Row(label, [self.figures.named(cell) for cell in spec["cells"]],
                            level=spec.get("level", 1), kind=spec.get("kind", "item")))
        return rows, {}

    def office_operation(self, options: dict) -> tuple[list[Row], dict]:
        """机关运行经费: the department, then each administrative unit, a cell per column."""
        columns = options["columns"]

        def cells(unit=None):
            return [self.figures.office_operation(unit, c.get("source")) for c in columns]

        rows = [Row("部门合计", cells(), level=0, kind="total")]
        rows += [Row(u.name, cells(u.name)) for u in self.budget.units
                 if u.kind in ADMINISTRATIVE_KINDS]
        return rows, {}

    def projects(self, options: dict) -> tuple[list[Row], dict]:
        """The department, each unit and its projects (current year or carried over), a
        column per source named; with `other_sources`, a column for any other source a
        project uses, so that 合计 is always the sum of the row."""
        carryover = options.get("carryover", False)
        every = [p for u in self.budget.units
                 for p in (u.carryover_projects if carryover else u.projects)]
        columns = [(c["label"], sources(c["source"])) for c in options["columns"]]
        named = {s for _, group in columns for s in group}
        if options.get("other_sources"):
            columns += [(s, (s,)) for s in SOURCES if s not in named
                        and any(p.funding.get(s) for p in every)]

        def cells(projects: list[Project]):
            return ([sum((p.total for p in projects), ZERO)]
                    + [sum((p.funding.get(s, ZERO) for p in projects for s in group), ZERO)
                       for _, group in columns])

        rows = [Row(self.budget.name, cells(every), level=0, kind="total")]
        for unit in self.budget.units:
            projects = unit.carryover_projects if carryover else unit.projects
            if projects:
                rows.append(Row(unit.name, cells(projects), level=1))
                rows += [Row(p.name, cells([p]), level=2) for p in projects]
        return rows, {"columns": ["合计"] + [label for label, _ in columns]}


def build_table(spec, builders: Builders) -> Table:
    """The table a profile's spec describes (generator.profiles.TableSpec)."""
    rows, extra = getattr(builders, spec.builder)(spec.options)
    columns = extra.pop("columns", None) or [c["label"] for c in spec.options.get("columns", [])]
    return Table(spec.number, spec.title, columns, rows, key=spec.key, builder=spec.builder,
                 unit=spec.unit,
                 empty_note=spec.empty_note, **extra)
