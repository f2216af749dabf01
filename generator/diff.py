"""What changed between two versions of a budget, in the terms of the published document.

Compares the derived documents, not the YAML: every cell of the 13 tables (with its row, its
column, old and new exact 元), projects added, removed or renamed, the sentences of 第三部分,
the entered text of the 绩效目标表, and the findings of `budget check` that the change
introduces or fixes.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from .check import analyse
from .derive import Derived, Table
from .findings import Finding
from .model import ZERO, Budget
from .money import percent
from .part3 import PROJECT_FUND_ROWS


@dataclass(frozen=True)
class CellChange:
    table: int
    title: str
    row: str  # the row as a reader names it: code and name
    column: str
    old: Decimal | None
    new: Decimal | None
    row_index: int | None  # index of the row in the NEW table (None: the row is gone)
    column_index: int

    @property
    def change(self) -> Decimal:
        return (self.new or ZERO) - (self.old or ZERO)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.change, self.old or ZERO)


@dataclass(frozen=True)
class TextChange:
    where: str  # e.g. "第三部分 八、机关运行经费增减变动原因说明" or "项目“X”绩效目标表 项目概况"
    old: str
    new: str
    anchor: str = ""  # the HTML id of the section the text is in


@dataclass
class BudgetDiff:
    old_label: str
    new_label: str
    name: str = ""
    year: int = 0
    cells: list[CellChange] = field(default_factory=list)
    projects_added: list[str] = field(default_factory=list)
    projects_removed: list[str] = field(default_factory=list)
    projects_renamed: list[tuple[str, str]] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    findings_introduced: list[Finding] = field(default_factory=list)
    findings_fixed: list[Finding] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)  # one side could not be built
    added: bool = False  # the file is new
    removed: bool = False  # the file was deleted

    @property
    def empty(self) -> bool:
        return not (self.cells or self.projects_added or self.projects_removed
                    or self.projects_renamed or self.texts or self.findings_introduced
                    or self.findings_fixed or self.unreadable or self.added or self.removed)


# ---- tables ---------------------------------------------------------------------------------

def row_label(row) -> str:
    label = " ".join(p for p in (row.code, row.name) if p)
    if row.name2:
        label = f"{label} | {row.name2}" if label else row.name2
    if row.kind == "total" and "计" not in label:  # 表十二/十三: named like the unit row below it
        label += "（部门合计）"
    return label


def _keyed_rows(table: Table, renamed: dict | None = None) -> dict:
    """Rows by a key that survives other rows coming and going: (code, names, occurrence).
    `renamed` maps the old names of renamed projects (level-2 rows) to their new names."""
    keyed, seen = {}, {}
    for index, row in enumerate(table.rows):
        name = (renamed or {}).get(row.name, row.name) if row.level == 2 else row.name
        base = (row.code, name, row.code2, row.name2)
        seen[base] = seen.get(base, 0) + 1
        keyed[base + (seen[base],)] = (index, row)
    return keyed


def _column_labels(table: Table) -> list[str]:
    if table.number in (1, 4):  # two-sided: the first cell is the income side's
        return ["收入", *table.columns[1:]]
    return table.columns


def diff_tables(old: Derived, new: Derived, renamed: dict | None = None) -> list[CellChange]:
    """Every changed cell; `renamed`: {(table number, old project name): new name}, so that
    a renamed project's row is compared with its old row instead of shown as gone and new."""
    changes = []
    for number, new_table in new.tables.items():
        old_table = old.tables[number]
        columns = _column_labels(new_table)
        names = {o: n for (t, o), n in (renamed or {}).items() if t == number}
        old_rows, new_rows = _keyed_rows(old_table, names), _keyed_rows(new_table)
        old_columns = _column_labels(old_table)
        for key in list(new_rows) + [k for k in old_rows if k not in new_rows]:
            new_index, new_row = new_rows.get(key, (None, None))
            _, old_row = old_rows.get(key, (None, None))
            row = new_row or old_row
            for i, column in enumerate(columns if new_row else old_columns):
                before = _cell(old_row, old_columns, column)
                after = _cell(new_row, columns, column)
                if (before or ZERO) != (after or ZERO):
                    changes.append(CellChange(number, new_table.title, row_label(row), column,
                                              before, after, new_index, i))
    return changes


def _cell(row, columns, column):
    if row is None or column not in columns:
        return None
    return row.cells[columns.index(column)]


# ---- projects -----------------------------------------------------------------------------

def _project_key(p) -> tuple:
    return (p.unit, p.carryover, p.function_code, tuple(sorted(p.funding.items())))


def diff_projects(old: Budget, new: Budget, result: BudgetDiff) -> tuple[dict, dict]:
    """Fill added/removed/renamed; return {new name: old name} of the projects in both, and
    {(表十二 or 表十三, old name): new name} of the renamed ones."""
    old_projects = {(p.carryover, p.name): p for p in old.projects() + old.projects(True)}
    new_projects = {(p.carryover, p.name): p for p in new.projects() + new.projects(True)}
    gone = [old_projects[k] for k in old_projects if k not in new_projects]
    came = [new_projects[k] for k in new_projects if k not in old_projects]
    same = {k[1]: k[1] for k in new_projects if k in old_projects}
    renamed = {}
    for project in list(came):
        # a rename keeps the unit, the function code and the money, or most of the name
        match = next((g for g in gone if _project_key(g) == _project_key(project)), None) or \
            next((g for g in gone if g.carryover == project.carryover and g.unit == project.unit
                  and difflib.SequenceMatcher(None, g.name, project.name).ratio() >= 0.6), None)
        if match:
            gone.remove(match)
            came.remove(project)
            result.projects_renamed.append((match.name, project.name))
            same[project.name] = match.name
            renamed[(13 if project.carryover else 12, match.name)] = project.name
    result.projects_removed += [p.name for p in gone]
    result.projects_added += [p.name for p in came]
    return same, renamed


# ---- text -----------------------------------------------------------------------------------

class _Part3Text(HTMLParser):
    """The sentences of 第三部分 outside tables, by section (h2 id part3-N)."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.section = None
        self.depth_in_part3 = 0
        self.in_table = 0
        self.in_heading = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id") or ""
        if ident == "part3":
            self.depth_in_part3 = 1
        if not self.depth_in_part3:
            return
        if tag == "table":
            self.in_table += 1
        if tag == "h2" and ident.startswith("part3-"):
            self.section, self.in_heading = ident, True
            self.titles[ident] = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.in_table:
            self.in_table -= 1
        if tag == "h2":
            self.in_heading = False

    def handle_data(self, data):
        if not self.depth_in_part3 or not self.section or self.in_table:
            return
        if self.in_heading:
            self.titles[self.section] += data
            return
        self.sections.setdefault(self.section, []).append(data)


def sentences(html: str) -> dict[str, tuple[str, list[str]]]:
    """{section id: (title, [sentence, …])} of 第三部分 (tables and forms left out)."""
    parser = _Part3Text()
    parser.feed(html[html.index('id="part3"') - 20:html.index('id="part4"')])
    result = {}
    for ident, parts in parser.sections.items():
        text = re.sub(r"\s+", "", "".join(parts))
        result[ident] = (parser.titles[ident].strip(),
                         [s for s in re.findall(r"[^。；]*[。；]?", text) if s])
    return result


def diff_narrative(old_html: str, new_html: str) -> list[TextChange]:
    changes = []
    old, new = sentences(old_html), sentences(new_html)
    for ident in dict.fromkeys(list(new) + list(old)):
        title, after = new.get(ident, old.get(ident, ("", [])))
        before = old.get(ident, (title, []))[1]
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                changes.append(TextChange(f"第三部分 {title}", "".join(before[a1:a2]),
                                          "".join(after[b1:b2]), ident))
    return changes


PERFORMANCE_FIELDS = [("attribute", "项目属性"), ("overview", "项目概况"), ("basis", "立项依据"),
                      ("necessity", "项目设立必要性"), ("safeguards", "保证项目实施的制度、措施"),
                      ("plan", "项目实施计划")]


def _indicator_lines(indicators) -> list[str]:
    return [f"{l1}/{l2}/{name}：{value}" for l1, level2 in (indicators or {}).items()
            for l2, items in (level2 or {}).items() for name, value in (items or {}).items()]


FUND_NAMES = dict(PROJECT_FUND_ROWS)  # the labels of the 绩效目标表's 项目资金 rows


def performance_texts(perf: dict) -> dict[str, str]:
    texts = {label: str(perf.get(key) or "") for key, label in PERFORMANCE_FIELDS}
    texts["项目期"] = f"{perf.get('period_years')}年"
    for period, label in (("implementation", "实施期"), ("annual", "年度")):
        funds = (perf.get("funds") or {}).get(period) or {}
        texts[f"{label}资金（元）"] = "；".join(f"{FUND_NAMES.get(k, k)}：{v:,.2f}"
                                            for k, v in funds.items())
        texts[f"{label}目标"] = str((perf.get("goals") or {}).get(period) or "")
        texts[f"{label}绩效指标"] = "；".join(
            _indicator_lines((perf.get("indicators") or {}).get(period)))
    return texts


def diff_performance(old: Budget, new: Budget, same: dict) -> list[TextChange]:
    changes = []
    old_by_name = {p.name: p for p in old.projects()}
    for number, project in enumerate(new.projects(), 1):
        before = old_by_name.get(same.get(project.name, ""))
        if before is None:
            continue
        a, b = performance_texts(before.performance), performance_texts(project.performance)
        for label in b:
            if a[label] != b[label]:
                changes.append(TextChange(f"项目“{project.name}”绩效目标表 {label}", a[label],
                                          b[label], f"project-{number}"))
    department_fields = [("duties", "部门职责"), ("annual_goal", "年度绩效目标")]
    for key, label in department_fields:
        a, b = str(old.performance.get(key) or ""), str(new.performance.get(key) or "")
        if a != b:
            changes.append(TextChange(f"部门整体支出绩效目标申报表 {label}", a, b,
                                      "performance-department"))
    a = "；".join(_indicator_lines(old.performance.get("indicators")))
    b = "；".join(_indicator_lines(new.performance.get("indicators")))
    if a != b:
        changes.append(TextChange("部门整体支出绩效目标申报表 年度绩效指标", a, b,
                                  "performance-department"))
    for key, label in (("duties", "第一部分 本部门职责"),):
        a, b = str(old.department.get(key) or ""), str(new.department.get(key) or "")
        if a != b:
            changes.append(TextChange(label, a, b, "part1-duties"))
    return changes


_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+|.", re.S)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "=", "-" or "+".  Chinese has no spaces between words, so the
    tokens are single characters, except that a number (285.25, 67.52%) is one token: a
    changed figure shows whole."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ops = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            ops.append(("=", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            ops.append(("-", "".join(a[a1:a2])))
        if b2 > b1:
            ops.append(("+", "".join(b[b1:b2])))
    return ops


# ---- findings and the whole ---------------------------------------------------------------

def _finding_key(f: Finding) -> tuple:
    return (f.rule, f.severity, f.message)


def diff_budgets(old_label: str, new_label: str) -> BudgetDiff:
    """The diff of two budget sources (files or "REV:path"); either may be None (added or
    removed file)."""
    from .render import render_html

    result = BudgetDiff(old_label or "", new_label or "")
    sides = []
    for label in (old_label, new_label):
        sides.append(analyse(label) if label else (None, None, []))
    (old_b, old_d, old_f), (new_b, new_d, new_f) = sides
    result.added, result.removed = old_label is None, new_label is None
    introduced = {_finding_key(f) for f in new_f} - {_finding_key(f) for f in old_f}
    fixed = {_finding_key(f) for f in old_f} - {_finding_key(f) for f in new_f}
    result.findings_introduced = [f for f in new_f if _finding_key(f) in introduced]
    result.findings_fixed = [f for f in old_f if _finding_key(f) in fixed]
    either = new_b or old_b
    if either:
        result.name, result.year = either.name, either.year
    if (old_label and old_b is None) or (new_label and new_b is None):
        result.unreadable = [f for f in (new_f if new_label and new_b is None else old_f)]
        return result
    if old_b is None or new_b is None:
        return result
    same, renamed = diff_projects(old_b, new_b, result)
    result.cells = diff_tables(old_d, new_d, renamed)
    result.texts = diff_narrative(render_html(old_b, old_d), render_html(new_b, new_d))
    result.texts += diff_performance(old_b, new_b, same)
    return result


def changed_budgets(base: str) -> list[tuple[str | None, str | None]]:
    """(old source, new source) of every budget file that differs between the revision `base`
    and the working tree; None on the side where the file does not exist."""
    import subprocess

    # core.quotePath=false: a file named in Chinese is listed as it is, not as "\346\263…"
    result = subprocess.run(["git", "-c", "core.quotePath=false", "diff", "--name-status",
                             "--no-renames", base, "--", "budgets/"],
                            capture_output=True, encoding="utf-8")
    if result.returncode:
        raise ValueError(result.stderr.strip() or f"git diff {base} failed")
    pairs = []
    for line in result.stdout.splitlines():
        status, path = line.split("\t", 1)
        if not path.endswith((".yaml", ".yml")):
            continue
        pairs.append((None if status == "A" else f"{base}:{path}", None if status == "D" else path))
    return pairs
