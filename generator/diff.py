"""What changed between two versions of a budget, in the terms of the published document.

Leads with the edits of the YAML (generator.edits) and what each one caused, then compares the
derived documents: every cell of the 13 tables (with its row, its column, old and new exact
元), projects added, removed or renamed, the sentences of 第三部分, the text of the 绩效目标表,
the findings of `budget check` that the change introduces or fixes, and figures in free text
that still state an old total.  A new or deleted budget gets its headline totals.

When the change touches what every budget depends on (schema/, templates/, generator/ …:
generator.changes), the old side of every budget is checked and rendered by the old revision's
own tree (generator.base_tree), and the diff shows the lines of each document that changed.
"""
from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .check import analyse
from .derive import Derived
from .narrative import Section, sentences
from .narratives import narrative
from .tables import Table
from .edits import MAX_ATTRIBUTED, MAX_ATTRIBUTION_WORK, Edit, applied_alone, find_edits
from .files import refused_name
from .findings import BudgetError, Finding, one_line
from .loader import load_file
from .model import ZERO, Budget
from .money import percent, to_wan
from .references import department_totals, entries, project_totals, resolved
from .vocabulary import PROJECT_FUND_ROWS


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
    label: str = ""  # how the standard names the table: 表一 (Shanxi), 表3 (Shanghai)
    unit: str = "万元"  # the unit the table prints in

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


@dataclass(frozen=True)
class StaleFigure:
    """A figure typed in free text that equals a total of the old version which has changed:
    most likely a copy of that total left behind."""
    line: int
    text: str  # the figure as written, e.g. "320.11万元"
    total: str  # the total's name
    old: Decimal
    new: Decimal


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
    unreadable_side: str = ""  # which: "旧版本" or "新版本"
    added: bool = False  # the file is new
    removed: bool = False  # the file was deleted
    renamed_from: str = ""  # the file's old path, when git sees it renamed
    edits: list[Edit] = field(default_factory=list)  # of the YAML, with what each one caused
    joint: list[str] = field(default_factory=list)  # changes no single edit makes on its own
    totals: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    stale: list[StaleFigure] = field(default_factory=list)
    document: list[tuple[str, str]] = field(default_factory=list)  # ("-"/"+", line): whole-repo
    base_problem: str = ""  # why the old revision's tree could not evaluate this budget

    @property
    def empty(self) -> bool:
        return not (self.cells or self.projects_added or self.projects_removed
                    or self.projects_renamed or self.texts or self.findings_introduced
                    or self.findings_fixed or self.unreadable or self.added or self.removed
                    or self.renamed_from
                    or self.stale or self.document or self.base_problem)


# ---- tables ---------------------------------------------------------------------------------

def cell_label(table: Table, row, column: int) -> str:
    """The row of one cell as a reader names it (on a two-sided table, that cell's side)."""
    label = table.side_label(row, column)
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


def column_labels(table: Table) -> list[str]:
    """The columns as a reader names them: a 收支总表's left one is its 收入, whatever the
    standard heads it (金额, 预算数)."""
    if table.builder == "summary":  # a 收支总表's first cell is its income side's
        return ["收入", *table.columns[1:]]
    return table.columns


def diff_tables(old: Derived, new: Derived, renamed: dict | None = None) -> list[CellChange]:
    """Every changed cell; `renamed`: {(table number, old project name): new name}, so that
    a renamed project's row is compared with its old row instead of shown as gone and new."""
    changes = []
    for number, new_table in new.tables.items():
        # the same table of the old version, also when that was in another standard
        old_table = old.tables.get(number) if old.profile is new.profile else \
            old.table(new_table.key)
        old_table = old_table or Table(number, new_table.title, new_table.columns, [])
        columns = column_labels(new_table)
        names = {o: n for (t, o), n in (renamed or {}).items() if t == number}
        old_rows, new_rows = _keyed_rows(old_table, names), _keyed_rows(new_table)
        old_columns = column_labels(old_table)
        for key in list(new_rows) + [k for k in old_rows if k not in new_rows]:
            new_index, new_row = new_rows.get(key, (None, None))
            _, old_row = old_rows.get(key, (None, None))
            row, table = (new_row, new_table) if new_row else (old_row, old_table)
            for i, column in enumerate(columns if new_row else old_columns):
                before = _cell(old_row, old_columns, column)
                after = _cell(new_row, columns, column)
                if (before or ZERO) != (after or ZERO):
                    changes.append(CellChange(number, new_table.title, cell_label(table, row, i),
                                              column, before, after, new_index, i,
                                              new.profile.label(number), new_table.unit))
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

def diff_narrative(old_sections: list[Section], new_sections: list[Section]) -> list[TextChange]:
    """The changed runs of sentences, section by section (generator.narrative's data)."""
    changes = []
    old, new = sentences(old_sections), sentences(new_sections)
    for ident in dict.fromkeys(list(new) + list(old)):
        where, after = new.get(ident, old.get(ident, ("", [])))
        before = old.get(ident, (where, []))[1]
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                changes.append(TextChange(where, "".join(before[a1:a2]),
                                          "".join(after[b1:b2]), ident))
    return changes


PERFORMANCE_FIELDS = [("attribute", "项目属性"), ("overview", "项目概况"), ("basis", "立项依据"),
                      ("necessity", "项目设立必要性"), ("safeguards", "保证项目实施的制度、措施"),
                      ("plan", "项目实施计划")]


def _indicator_lines(indicators) -> list[str]:
    """One "一级/二级/三级指标：值" per indicator; values already as printed (references.resolved)."""
    return [f"{l1}/{l2}/{name}：{value}" for l1, l2, name, value in entries(indicators)]


FUND_NAMES = dict(PROJECT_FUND_ROWS)  # the labels of the 绩效目标表's 项目资金 rows


def performance_texts(project) -> dict[str, str]:
    """The 绩效目标表 of a project as printed, field by field (a reference such as
    {≤: 年度资金总额} as the figure it prints, so a change of the total shows here too)."""
    perf = project.performance or {}
    totals = project_totals(project)
    texts = {label: str(perf.get(key) or "") for key, label in PERFORMANCE_FIELDS}
    texts["项目期"] = f"{perf.get('period_years')}年"
    for period, label in (("implementation", "实施期"), ("annual", "年度")):
        funds = (perf.get("funds") or {}).get(period) or {}
        texts[f"{label}资金（元）"] = "；".join(f"{FUND_NAMES.get(k, k)}：{v:,.2f}"
                                            for k, v in funds.items())
        texts[f"{label}目标"] = str((perf.get("goals") or {}).get(period) or "")
        texts[f"{label}绩效指标"] = "；".join(_indicator_lines(
            resolved((perf.get("indicators") or {}).get(period), totals)))
    return texts


def department_indicators(budget: Budget, derived: Derived) -> str:
    """The department form's 年度绩效指标 as printed, on one line."""
    return "；".join(_indicator_lines(resolved(budget.performance.get("indicators"),
                                              department_totals(derived.figures))))


def diff_performance(old: Budget, new: Budget, same: dict, old_d: Derived,
                     new_d: Derived) -> list[TextChange]:
    changes = []
    old_by_name = {p.name: p for p in old.projects()}
    for number, project in enumerate(new.projects(), 1):
        before = old_by_name.get(same.get(project.name, ""))
        if before is None or not (before.performance and project.performance):
            continue
        a, b = performance_texts(before), performance_texts(project)
        for label in b:
            if a[label] != b[label]:
                changes.append(TextChange(f"项目“{project.name}”绩效目标表 {label}", a[label],
                                          b[label], f"project-{number}"))
    if not (old.performance and new.performance):
        return changes  # a standard without the department form (or a form added, removed)
    department_fields = [("duties", "部门职责"), ("annual_goal", "年度绩效目标")]
    for key, label in department_fields:
        a, b = str(old.performance.get(key) or ""), str(new.performance.get(key) or "")
        if a != b:
            changes.append(TextChange(f"部门整体支出绩效目标申报表 {label}", a, b,
                                      "performance-department"))
    a, b = department_indicators(old, old_d), department_indicators(new, new_d)
    if a != b:
        changes.append(TextChange("部门整体支出绩效目标申报表 年度绩效指标", a, b,
                                  "performance-department"))
    return changes


_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+|.", re.S)


# SequenceMatcher's work grows with the product of the two lengths: two unrelated texts of
# 5,000 characters took seconds each. Beyond this many token pairs, only the part between the
# common beginning and end is compared, and if that is still too long it is shown replaced whole.
MAX_WORD_DIFF = 1_000_000


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "=", "-" or "+".  Chinese has no spaces between words, so the
    tokens are single characters, except that a number (285.25, 67.52%) is one token: a
    changed figure shows whole."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) * len(b) <= MAX_WORD_DIFF:
        return _matched(a, b)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start:len(a) - end], b[start:len(b) - end]
    middle = _matched(middle_a, middle_b) if len(middle_a) * len(middle_b) <= MAX_WORD_DIFF \
        else [("-", "".join(middle_a)), ("+", "".join(middle_b))]
    ops = [("=", "".join(a[:start]))] + middle + [("=", "".join(a[len(a) - end:]))]
    return [(op, text) for op, text in ops if text]


def _matched(a: list[str], b: list[str]) -> list[tuple[str, str]]:
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


# ---- what each YAML edit caused -------------------------------------------------------------

def _change_runs(t: TextChange) -> set[tuple[str, str, str]]:
    """(section, removed, added) of each run of changed words of a text change: 285.25 →
    285.35 is one run, so two edits that change two figures of one sentence are told apart."""
    runs, removed, added = set(), "", ""
    for op, text in word_diff(t.old, t.new) + [("=", "")]:
        if op == "=":
            if removed or added:
                runs.add((t.anchor, removed, added))
            removed = added = ""
        elif op == "-":
            removed += text
        else:
            added += text
    return runs


def attribute(old_b: Budget, old_d: Derived, new_doc, result: BudgetDiff) -> None:
    """Fill result.edits and, for each, the changes of the diff it makes on its own (the edit
    applied alone to the old version and derived): cells, and changed words of 第三部分; what
    no single edit makes on its own goes to result.joint."""
    from .check import build_budget

    result.edits = find_edits(old_b.doc, new_doc)
    if not result.edits or len(result.edits) > MAX_ATTRIBUTED \
            or len(result.edits) * len(old_b.doc.locations) > MAX_ATTRIBUTION_WORK:
        return
    old_sections = narrative(old_b, old_d)
    anchors = {s.id for s in old_sections}
    titles = {t.anchor: t.where for t in result.texts if t.anchor in anchors}
    causes: dict[tuple, list[int]] = {(c.table, c.row, c.column): [] for c in result.cells}
    for t in result.texts:
        if t.anchor in titles:
            causes.update((key, []) for key in _change_runs(t))
    for i, edit in enumerate(result.edits):
        budget, _ = build_budget(applied_alone(old_b.doc, edit))
        if budget is None:
            continue  # not a budget on its own (e.g. half of a renamed key): not derived
        derived = Derived(budget, old_d.profile)
        alone = {(c.table, c.row, c.column) for c in diff_tables(old_d, derived)}
        for t in diff_narrative(old_sections, narrative(budget, derived)):
            alone |= _change_runs(t)
        for key in causes.keys() & alone:
            causes[key].append(i)
        edit.effects = []

    def described(keys) -> list[str]:
        tables = Counter(key[0] for key in keys if isinstance(key[0], int))
        parts = [f"{old_d.profile.label(n)} {k} 格" for n, k in sorted(tables.items())]
        numbers: dict[str, list[str]] = {}  # part (第三部分, or "文字") → the sections' numbers
        for where in dict.fromkeys(titles[key[0]] for key in keys if isinstance(key[0], str)):
            part, _, title = where.rpartition(" ")
            numbers.setdefault(part or "文字", []).append(title.split("、")[0])
        parts += [f"{part} {'、'.join(n)}" for part, n in numbers.items()]
        return parts

    for i, edit in enumerate(result.edits):
        if edit.effects is not None:
            edit.effects = described([key for key, who in causes.items() if who == [i]])
    result.joint = described([key for key, who in causes.items() if len(who) != 1])


# ---- headline totals and stale copies of them -------------------------------------------------

def headline_totals(derived: Derived) -> dict[str, Decimal]:
    """The figures a reviewer checks first, by the name the document gives them."""
    f = derived.figures
    return {"收支总计": f["total"]["now"], "本年收入": f["current"], "上年结转": f["carryover"],
              "基本支出": f["expenditure_shares"]["基本支出"]["amount"],
              "项目支出": f["expenditure_shares"]["项目支出"]["amount"],
              "“三公”经费": f["three_public"]["total"],
              "机关运行经费": f["office_operation"]["now"]}


def _named_totals(budget: Budget, derived: Derived) -> dict[str, Decimal]:
    """Every total a text could restate: the headline, the 类 of 表一, each project."""
    totals = headline_totals(derived)
    totals.update((row.name2.split("、", 1)[-1], row.cells[1])
                  for row in derived.tables[1].rows if row.code and row.cells[1])
    totals.update((f"项目“{p.name}”", p.total) for p in budget.projects() + budget.projects(True))
    return totals


_WAN_FIGURE = re.compile(r"([0-9]+(?:\.[0-9]+)?)万元")


def stale_figures(old: tuple, new: tuple) -> list[StaleFigure]:
    """Figures in 万元 typed in the new version's free text that equal a total of the old
    version which has since changed to another figure: copies of a total left behind."""
    old_totals, new_totals = _named_totals(*old), _named_totals(*new)
    changed = {name: (old_totals[name], new_totals[name]) for name in old_totals.keys() & new_totals.keys()
               if to_wan(old_totals[name]) != to_wan(new_totals[name]) and old_totals[name]}
    current = {to_wan(v) for v in new_totals.values()}
    found = []
    budget = new[0]
    for path, text in budget.doc.texts():
        for match in _WAN_FIGURE.finditer(text):
            figure = Decimal(match.group(1))
            if figure in current:
                continue  # it states a total of this version
            for name, (before, after) in changed.items():
                if figure == to_wan(before):
                    found.append(StaleFigure(budget.doc.where(*path).line, match.group(), name,
                                             before, after))
                    break
    return found


# ---- findings and the whole ---------------------------------------------------------------

def _finding_key(f: Finding) -> tuple:
    return (f.rule, f.severity, f.message)


def _compare_findings(old_f: list[Finding], new_f: list[Finding], result: BudgetDiff) -> None:
    introduced = {_finding_key(f) for f in new_f} - {_finding_key(f) for f in old_f}
    fixed = {_finding_key(f) for f in old_f} - {_finding_key(f) for f in new_f}
    result.findings_introduced = [f for f in new_f if _finding_key(f) in introduced]
    result.findings_fixed = [f for f in old_f if _finding_key(f) in fixed]


def _document(label: str):
    try:
        return load_file(label)
    except BudgetError:
        return None


def _identity(budget: Budget | None, label: str) -> tuple[str, int]:
    """The department and year, also of a version that does not build (read from its YAML)."""
    if budget:
        return budget.name, budget.year
    doc = _document(label)
    data = doc.data if doc else {}
    department = data.get("department") if isinstance(data, dict) else None
    name = department.get("name") if isinstance(department, dict) else None
    year = data.get("year") if isinstance(data, dict) else None
    return (str(name) if isinstance(name, str) else "",
            int(year) if isinstance(year, str) and year.isdigit() and len(year) == 4 else 0)


def unreadable(label: str, findings: list[Finding]) -> str:
    """Why the source `label` cannot be read at all, in Chinese ("" when it can): a missing
    file, a folder, an unknown revision, a path the revision lacks.  Such a side is no version
    of a budget, to compare or to show (one that reads but has errors is)."""
    for f in findings:
        if f.rule == "file-unreadable":
            if ":" not in label and refused_name(label):
                return f"无法使用 {one_line(label)}：{refused_name(label)}"
            if ":" not in label and not os.path.lexists(label):
                return f"找不到文件 {one_line(label)}"
            return f"{one_line(label)}：{f.message}"
    return ""


def diff_budgets(old_label: str | None, new_label: str | None, base=None) -> BudgetDiff:
    """The diff of two budget sources (files or "REV:path"); either may be None (added or
    removed file).  `base`, a base_tree.TreeResult, is the old side as the old revision's own
    tree checks and renders it: given when that tree's code, catalogue or templates differ.
    Raises ValueError (in Chinese) when a side cannot be read at all."""
    from .render import render_html

    result = BudgetDiff(old_label or "", new_label or "")
    sides = []
    for label in (old_label, new_label):
        sides.append(analyse(label) if label else (None, None, []))
        problem = label and unreadable(label, sides[-1][2])
        if problem:
            raise ValueError(problem)
    (old_b, old_d, old_f), (new_b, new_d, new_f) = sides
    result.added, result.removed = old_label is None, new_label is None
    _compare_findings(base.findings if base else old_f, new_f, result)
    result.name, result.year = _identity(new_b or old_b, new_label or old_label)
    if base and old_label:
        result.base_problem = base.problem
        new_html = render_html(new_b, new_d) if new_b else None
        if base.html is not None and new_html is not None:
            from .base_tree import changed_lines, document_lines
            result.document = changed_lines(document_lines(base.html), document_lines(new_html))
    if result.added or result.removed:
        budget, derived = (new_b, new_d) if result.added else (old_b, old_d)
        if budget:
            totals = headline_totals(derived)
            result.totals = [(name, None if result.added else v, v if result.added else None)
                             for name, v in totals.items()]
        else:
            result.unreadable = list(new_f if result.added else old_f)
            result.unreadable_side = "新版本" if result.added else "旧版本"
        return result
    if new_b is None:  # still say which edits of the YAML broke it
        result.unreadable, result.unreadable_side = new_f, "新版本"
        old_doc, new_doc = _document(old_label), _document(new_label)
        if old_doc is not None and new_doc is not None:
            result.edits = find_edits(old_doc, new_doc)
        return result
    if old_b is None:
        if not base:  # (with `base`, the old side is the old tree's: its findings are compared)
            result.unreadable, result.unreadable_side = old_f, "旧版本"
        return result
    same, renamed = diff_projects(old_b, new_b, result)
    result.cells = diff_tables(old_d, new_d, renamed)
    result.texts = diff_narrative(narrative(old_b, old_d), narrative(new_b, new_d))
    result.texts += diff_performance(old_b, new_b, same, old_d, new_d)
    result.stale = stale_figures((old_b, old_d), (new_b, new_d))
    attribute(old_b, old_d, new_b.doc, result)
    old_t, new_t = headline_totals(old_d), headline_totals(new_d)
    result.totals = [(k, old_t[k], new_t[k]) for k in new_t if old_t[k] != new_t[k]]
    return result


def diff_git(base: str) -> tuple[list[BudgetDiff], list[str]]:
    """The diff of every budget the change since the revision `base` concerns (working-tree
    edits included), and the changed files every budget depends on ([] when none)."""
    from .changes import changes, path_of, toplevel

    change = changes(base)
    results = {}
    if change.shared:
        from .base_tree import evaluate_at
        results = evaluate_at(base, [path_of(old) for old, _ in change.pairs if old])
    top = toplevel()
    diffs = []
    for old, new in change.pairs:
        path = old and path_of(old)
        # git names files from the repository's top: open the new one from where we are
        d = diff_budgets(old, new and os.path.relpath(os.path.join(top, new)),
                         results.get(path) if change.shared and path else None)
        d.renamed_from = path if path and new and path != new else ""
        diffs.append(d)
    return diffs, change.shared
