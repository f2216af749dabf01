"""A BudgetDiff for people (terminal, Markdown for a pull-request comment) and machines (JSON)."""
from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

from .diff import BudgetDiff, TextChange, word_diff
from .edits import Edit
from .findings import one_line
from .render import wan

CONTEXT = 18  # characters of unchanged text kept around a change in a word diff


def _signed_yuan(value: Decimal) -> str:
    return f"{value:+,.2f}"


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+.2f}%"


def _wan(value) -> str:
    return wan(value, zero="0.00") if value is not None else "—"


def summary(d: BudgetDiff) -> str:
    """One line: what changed, for the top of a comment."""
    who = f"{d.name} {d.year}年" if d.name else one_line(d.new_label or d.old_label)
    problems = f"{len(d.findings_introduced)} 个问题" if d.findings_introduced else "没有问题"
    total = dict((name, new if d.added else old) for name, old, new in d.totals).get("收支总计")
    size = f"收支总计 {_wan(total)} 万元，" if total is not None else ""
    if d.added:
        return f"{who}：新增预算文件，{size}{problems}"
    if d.removed:
        return f"{who}：删除了预算文件（原{size.rstrip('，')}）" if size else f"{who}：删除了预算文件"
    if d.unreadable:
        return f"{who}：{d.unreadable_side}未通过检查，无法生成公开文件（{len(d.unreadable)} 个错误）"
    parts = []
    if d.edits:
        parts.append(f"YAML 改动 {len(d.edits)} 处")
    if d.cells:
        per_table = Counter((c.table, c.label) for c in d.cells)
        parts.append(f"{len(d.cells)} 个数字有变化（"
                     + "、".join(f"{label} {k}" for (_, label), k in sorted(per_table.items()))
                     + "）")
    projects = len(d.projects_added) + len(d.projects_removed) + len(d.projects_renamed)
    if projects:
        parts.append(f"项目增 {len(d.projects_added)}、删 {len(d.projects_removed)}、"
                     f"改名 {len(d.projects_renamed)}")
    if d.texts:
        parts.append(f"文字 {len(d.texts)} 处")
    if d.document:
        parts.append(f"公开文件 {sum(op == '+' for op, _ in d.document)} 行有变化")
    if d.stale:
        parts.append(f"可能过时的数字 {len(d.stale)} 个")
    parts.append(f"新问题 {len(d.findings_introduced)} 个" if d.findings_introduced else "没有新问题")
    if d.findings_fixed:
        parts.append(f"解决问题 {len(d.findings_fixed)} 个")
    changed = d.cells or projects or d.texts or d.findings_fixed or d.findings_introduced \
        or d.document or d.stale or d.edits
    return f"{who}：" + "，".join(parts) if changed else f"{who}：公开内容没有变化"


def _value(value, room: int = 60) -> str:
    """A YAML value on one line, in YAML's flow style ({≤: 基本支出}), cut at `room` characters."""
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_value(v, room)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_value(v, room) for v in value) + "]"
    else:
        text = str(value).replace("\n", " ")
    return text if len(text) <= room else text[:room - 1] + "…"


def edit_line(e: Edit, words, literal=one_line) -> str:
    """One YAML edit: where, what, and what it alone changed; `words` formats a word diff,
    `literal` the budget's own text (its keys and values) for the output format."""
    if e.kind == "added":
        what = "新增" + ("" if isinstance(e.new, (dict, list)) else f"：{literal(_value(e.new))}")
    elif e.kind == "removed":
        what = "删除" + ("" if isinstance(e.old, (dict, list)) else f"（原为 {literal(_value(e.old))}）")
    elif e.change is not None:
        what = f"{literal(e.old)} → {literal(e.new)}（{_signed_yuan(e.change)} 元）"
    elif isinstance(e.old, str) and isinstance(e.new, str):
        what = words(e.old, e.new)
    else:
        what = f"{literal(_value(e.old))} → {literal(_value(e.new))}"
    effects = f" → {literal('、'.join(e.effects))}" if e.effects else ""
    return f"第 {e.line} 行 {literal(e.label)}：{what}{effects}"


def _stale_line(s) -> str:
    return (f"第 {s.line} 行的“{s.text}”等于上一版的{s.total}（{_wan(s.old)} 万元），"
            f"本版{s.total}是 {_wan(s.new)} 万元：是照抄的数字吗？")


def _shared_line(shared: list[str], count: int) -> str:
    files = "、".join(shared[:5]) + (f" 等 {len(shared)} 个文件" if len(shared) > 5 else "")
    return (f"改动了所有预算共用的文件（{files}）：逐个比较了全部 {count} 个预算，"
            "旧版按旧版本的程序、科目目录和模板检查和生成。")


def _trimmed(ops):
    """Word-diff runs with long unchanged stretches cut to CONTEXT characters each side."""
    last = len(ops) - 1
    for i, (op, text) in enumerate(ops):
        if op == "=" and len(text) > 2 * CONTEXT:
            text = (text[:CONTEXT] if i > 0 else "") + "…" + (text[-CONTEXT:] if i < last else "")
        yield op, text


# what Markdown reads as markup inside a line (our lines never begin with budget text)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~@])")


def _md_escape(text: str) -> str:
    """Budget text as literal Markdown on one line: every character Markdown could read as
    markup backslash-escaped (no table, link, @mention, HTML comment or heading comes out of a
    budget's words), line breaks written as \\n."""
    return one_line(_MD_SPECIAL.sub(r"\\\1", str(text)))


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in `lines`, so none can close it."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _words_markdown(old: str, new: str) -> str:
    pieces = []
    for op, text in _trimmed(word_diff(old, new)):
        text = _md_escape(text)
        pieces.append({"=": text, "-": f"~~{text}~~", "+": f"**{text}**"}[op])
    return "".join(pieces)


def _text_markdown(t: TextChange) -> str:
    return f"- **{_md_escape(t.where)}**：" + _words_markdown(t.old, t.new)


MAX_DOCUMENT_LINES = 60  # of a whole-repository change, per budget, in a comment
MAX_EDITS_SHOWN = 50  # YAML edits listed per budget in a comment


def _new_findings(d: BudgetDiff) -> list:
    shown = set(map(id, d.unreadable))
    return d.unreadable + [f for f in d.findings_introduced if id(f) not in shown]


def markdown(diffs: list[BudgetDiff], shared: list[str] | None = None) -> str:
    changed = [d for d in diffs if not d.empty]
    lines = []
    if shared:
        lines += [f"**{_shared_line(shared, len(diffs))}**", ""]
    if len(diffs) > 1 or not diffs:
        lines.append(f"**预算变更**：{len(diffs)} 个预算文件，{len(changed)} 个的公开内容有变化"
                     f"，新问题 {sum(len(d.findings_introduced) for d in diffs)} 个。")
        lines.append("")
    for d in diffs:
        if shared and d.empty:
            continue  # listed in the count above; nothing to review
        renamed = f"，由 `{one_line(d.renamed_from)}` 改名" if d.renamed_from else ""
        lines.append(f"**{_md_escape(summary(d))}**（`{one_line(d.new_label or d.old_label)}`{renamed}）")
        lines.append("")
        if d.edits:  # the cause first: what was edited, and what each edit changed
            lines.append(f"YAML 改动（{len(d.edits)} 处）：")
            lines.append("")
            lines += [f"- {edit_line(e, _words_markdown, _md_escape)}" for e in d.edits[:MAX_EDITS_SHOWN]]
            if len(d.edits) > MAX_EDITS_SHOWN:  # a comment has a size limit; the JSON has all
                lines.append(f"- ……另有 {len(d.edits) - MAX_EDITS_SHOWN} 处（`budget diff` 可看全部）")
            if d.joint:
                lines.append(f"- 几处改动共同引起：{_md_escape('、'.join(d.joint))}")
            lines.append("")
        if d.base_problem:
            lines.append(f"- ⚠️ 无法按旧版本的程序比较：{_md_escape(d.base_problem)}")
        for f in _new_findings(d):
            lines.append(f"- ❌ 新问题 `{f.rule}` 第 {f.location.line} 行：{_md_escape(f.message)}")
        for f in d.findings_fixed:
            lines.append(f"- ✅ 已解决 `{f.rule}`：{_md_escape(f.message)}")
        lines += [f"- ⚠️ 可能过时的数字：{_md_escape(_stale_line(x))}" for x in d.stale]
        for old, new in d.projects_renamed:
            lines.append(f"- 项目改名：{_md_escape(old)} → {_md_escape(new)}")
        lines += [f"- 新增项目：{_md_escape(name)}" for name in d.projects_added]
        lines += [f"- 删除项目：{_md_escape(name)}" for name in d.projects_removed]
        if lines[-1] != "":
            lines.append("")
        if d.totals:
            lines += ["主要合计（万元）", "", "| 合计 | 原值 | 新值 |", "| --- | ---: | ---: |"]
            lines += [f"| {name} | {_wan(old)} | {_wan(new)} |" for name, old, new in d.totals]
            lines.append("")
        table = None
        for c in d.cells:
            if c.table != table:
                table = c.table
                lines += [""] * (lines[-1] != "") + [  # one blank line before, not two
                    f"{c.label} {c.title}（万元）", "",
                    "| 行 | 列 | 原值 | 新值 | 变化（元） | 变化率 |",
                    "| --- | --- | ---: | ---: | ---: | ---: |"]
            lines.append(f"| {_md_escape(c.row)} | {_md_escape(c.column)} | {_wan(c.old)} | {_wan(c.new)} | "
                         f"{_signed_yuan(c.change)} | {_pct(c.percent)} |")
        if d.texts:
            lines += [""] * (lines[-1] != "") + ["文字（~~删除~~ **新增**）：", ""]
            lines += [_text_markdown(t) for t in d.texts]
        if d.document:
            shown = d.document[:MAX_DOCUMENT_LINES]
            lines += [""] * (lines[-1] != "") + [
                f"公开文件中有变化的行（按旧版本和本版本的程序分别生成后比较，"
                f"共 {len(d.document)} 行{'，只列前 %d 行' % len(shown) if len(shown) < len(d.document) else ''}）：",
                ""]
            body = [one_line(f"{op} {line}") for op, line in shown]
            lines += [_fence(body) + "diff"] + body + [_fence(body)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


RED, GREEN, YELLOW, BOLD, RESET = "\033[31m", "\033[32m", "\033[33m", "\033[1m", "\033[0m"


def terminal(diffs: list[BudgetDiff], colour: bool, shared: list[str] | None = None) -> str:
    def paint(code, text):
        return f"{code}{text}{RESET}" if colour else text

    def words(old, new):
        return "".join({"=": s, "-": paint(RED, f"[-{s}-]"), "+": paint(GREEN, f"{{+{s}+}}")}[op]
                       for op, s in _trimmed(word_diff(old, new)))

    lines = [paint(BOLD, _shared_line(shared, len(diffs)))] if shared else []
    for d in diffs:
        if shared and d.empty:
            continue
        renamed = f"（由 {one_line(d.renamed_from)} 改名）" if d.renamed_from else ""
        lines.append(paint(BOLD, summary(d) + renamed)  # a file name may hold a line break
                     + f"  {one_line(d.old_label or '（无）')} → {one_line(d.new_label or '（无）')}")
        lines += [f"  改动 {edit_line(e, words)}" for e in d.edits]
        if d.joint:
            lines.append(f"  几处改动共同引起：{'、'.join(d.joint)}")
        if d.base_problem:
            lines.append(paint(YELLOW, f"  无法按旧版本的程序比较：{d.base_problem}"))
        for f in _new_findings(d):
            lines.append(paint(RED, f"  新问题 {f.text()}"))
        for f in d.findings_fixed:
            lines.append(paint(GREEN, f"  已解决 {f.rule} {f.message}"))
        lines += [paint(YELLOW, f"  可能过时的数字 {_stale_line(x)}") for x in d.stale]
        for old, new in d.projects_renamed:
            lines.append(f"  项目改名 {paint(RED, old)} → {paint(GREEN, new)}")
        lines += [f"  新增项目 {paint(GREEN, n)}" for n in d.projects_added]
        lines += [f"  删除项目 {paint(RED, n)}" for n in d.projects_removed]
        lines += [f"  合计 {name} {_wan(old)} → {_wan(new)} 万元" for name, old, new in d.totals]
        for c in d.cells:
            lines.append(f"  {c.label} {c.row} [{c.column}] "
                         f"{paint(RED, _wan(c.old))} → {paint(GREEN, _wan(c.new))} 万元 "
                         f"({_signed_yuan(c.change)} 元{', ' + _pct(c.percent) if c.percent is not None else ''})")
        for t in d.texts:
            lines.append(f"  {t.where}：{words(t.old, t.new)}")
        lines += [f"  {paint(RED if op == '-' else GREEN, op + ' ' + line)}" for op, line in d.document]
    return "\n".join(map(one_line, lines))  # budget text never starts a line of its own


def as_json(diffs: list[BudgetDiff], shared: list[str] | None = None) -> str:
    def number(value):
        return None if value is None else str(value)

    def scalar(value):
        return value if value is None or isinstance(value, str) else _value(value)

    out = []
    for d in diffs:
        out.append({
            "old": d.old_label or None, "new": d.new_label or None, "name": d.name,
            "year": d.year, "added": d.added, "removed": d.removed,
            "renamed_from": d.renamed_from or None, "summary": summary(d),
            "shared_inputs": shared or [],
            "edits": [{"line": e.line, "where": e.label, "kind": e.kind, "old": scalar(e.old),
                       "new": scalar(e.new), "change": number(e.change), "effects": e.effects}
                      for e in d.edits],
            "joint": d.joint,
            "totals": [{"name": n, "old": number(o), "new": number(v)} for n, o, v in d.totals],
            "cells": [{"table": c.table, "title": c.title, "row": c.row, "column": c.column,
                       "old": number(c.old), "new": number(c.new), "change": number(c.change),
                       "percent": number(c.percent)} for c in d.cells],
            "projects": {"added": d.projects_added, "removed": d.projects_removed,
                         "renamed": [list(p) for p in d.projects_renamed]},
            "texts": [{"where": t.where, "old": t.old, "new": t.new} for t in d.texts],
            "stale": [{"line": x.line, "text": x.text, "total": x.total, "old": number(x.old),
                       "new": number(x.new)} for x in d.stale],
            "document": [{"op": op, "line": line} for op, line in d.document],
            "base_problem": d.base_problem or None,
            "findings_introduced": [f.as_dict() for f in _new_findings(d)],
            "findings_fixed": [f.as_dict() for f in d.findings_fixed],
        })
    return json.dumps(out, ensure_ascii=False, indent=2)
