"""`budget show`: the derived document as plain lines, for `git diff` (a textconv driver).

One line per table row with every cell in exact 元, one line per sentence of the narrative (第三部分) and per
field of the 绩效目标表, then the findings: a change of the YAML shows in `git diff` as the
lines of the published document it changes.  A file that cannot be built shows as its own
text followed by its findings, so the diff still says what happened; one that cannot be read
at all (no such file, revision or path) is an error, said in one line.
"""
from __future__ import annotations

from .check import analyse
from .diff import cell_label, column_labels, department_indicators, performance_texts, unreadable
from .narrative import sentences
from .narratives import narrative
from .findings import one_line
from .loader import read_source


def _amount(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def show(source: str) -> str:
    """The lines of `source`; ValueError (in Chinese) when it cannot be read at all."""
    budget, derived, findings = analyse(source)
    if budget is None:
        problem = unreadable(source, findings)
        if problem:
            raise ValueError(problem)
        text = read_source(source).decode("utf-8", "replace")
        return text + "\n# budget check:\n" + "\n".join(f"# {f.text()}" for f in findings) + "\n"
    lines = [f"# {budget.name} {budget.year}年 {budget.status}（单位：元）"]
    for number, table in derived.tables.items():
        lines.append(f"{derived.profile.label(number)} {table.title}")
        columns = column_labels(table)
        for row in table.rows:
            # a two-sided table's line holds two rows: each side is shown under its own label
            sides = [range(table.left_columns), range(table.left_columns, len(columns))] \
                if table.left_columns else [range(len(columns))]
            for side in sides:
                cells = "  ".join(f"{columns[i]}={_amount(row.cells[i])}" for i in side
                                  if row.cells[i])
                if cells:
                    label = cell_label(table, row, side.start)
                    lines.append(f"  {derived.profile.label(number)} {label}: {cells}")
    for where, parts in sentences(narrative(budget, derived)).values():
        lines += [f"{where}: {sentence}" for sentence in parts]
    if budget.performance:
        lines.append(f"绩效目标表 部门整体 年度绩效指标: {department_indicators(budget, derived)}")
    for project in (p for p in budget.projects() if p.performance):
        for label, text in performance_texts(project).items():
            lines.append(f"绩效目标表 {project.name} {label}: {text}")
    lines += [f"问题 {f.severity} {f.rule}: {f.message}" for f in findings]
    # one line each, whatever the budget's text holds: a line break in a 绩效目标表 field
    # must not make a line of its own (git would read one starting 表一 as a hunk header)
    return "\n".join(map(one_line, lines)) + "\n"
