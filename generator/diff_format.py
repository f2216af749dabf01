"""A BudgetDiff for people (terminal, Markdown for a pull-request comment) and machines (JSON)."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

from .derive import chinese_number
from .diff import BudgetDiff, TextChange, word_diff
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
    who = f"{d.name} {d.year}年" if d.name else (d.new_label or d.old_label)
    if d.added:
        return f"{who}：新增预算文件"
    if d.removed:
        return f"{who}：删除了预算文件"
    if d.unreadable:
        return f"{who}：有一方无法读取，{len(d.unreadable)} 个错误"
    parts = []
    if d.cells:
        per_table = Counter(c.table for c in d.cells)
        parts.append(f"{len(d.cells)} 个数字有变化（"
                     + "、".join(f"表{chinese_number(n)} {k}" for n, k in sorted(per_table.items()))
                     + "）")
    projects = len(d.projects_added) + len(d.projects_removed) + len(d.projects_renamed)
    if projects:
        parts.append(f"项目增 {len(d.projects_added)}、删 {len(d.projects_removed)}、"
                     f"改名 {len(d.projects_renamed)}")
    if d.texts:
        parts.append(f"文字 {len(d.texts)} 处")
    parts.append(f"新问题 {len(d.findings_introduced)} 个" if d.findings_introduced else "没有新问题")
    if d.findings_fixed:
        parts.append(f"解决问题 {len(d.findings_fixed)} 个")
    return f"{who}：" + "，".join(parts) if d.cells or projects or d.texts or d.findings_fixed \
        or d.findings_introduced else f"{who}：公开内容没有变化"


def _trimmed(ops):
    """Word-diff runs with long unchanged stretches cut to CONTEXT characters each side."""
    last = len(ops) - 1
    for i, (op, text) in enumerate(ops):
        if op == "=" and len(text) > 2 * CONTEXT:
            text = (text[:CONTEXT] if i > 0 else "") + "…" + (text[-CONTEXT:] if i < last else "")
        yield op, text


def _text_markdown(t: TextChange) -> str:
    pieces = []
    for op, text in _trimmed(word_diff(t.old, t.new)):
        text = text.replace("|", "\\|").replace("*", "\\*").replace("~", "\\~")
        pieces.append({"=": text, "-": f"~~{text}~~", "+": f"**{text}**"}[op])
    return f"- **{t.where}**：" + "".join(pieces)


def markdown(diffs: list[BudgetDiff]) -> str:
    changed = [d for d in diffs if not d.empty]
    lines = []
    if len(diffs) > 1 or not diffs:
        lines.append(f"**预算变更**：{len(diffs)} 个预算文件，{len(changed)} 个的公开内容有变化"
                     f"，新问题 {sum(len(d.findings_introduced) for d in diffs)} 个。")
        lines.append("")
    for d in diffs:
        lines.append(f"**{summary(d)}**" + (f"（`{d.new_label or d.old_label}`）"))
        lines.append("")
        for f in d.unreadable + d.findings_introduced:
            lines.append(f"- ❌ 新问题 `{f.rule}` 第 {f.location.line} 行：{f.message}")
        for f in d.findings_fixed:
            lines.append(f"- ✅ 已解决 `{f.rule}`：{f.message}")
        for old, new in d.projects_renamed:
            lines.append(f"- 项目改名：{old} → {new}")
        lines += [f"- 新增项目：{name}" for name in d.projects_added]
        lines += [f"- 删除项目：{name}" for name in d.projects_removed]
        if lines[-1] != "":
            lines.append("")
        table = None
        for c in d.cells:
            if c.table != table:
                table = c.table
                lines += [""] * (lines[-1] != "") + [  # one blank line before, not two
                    f"表{chinese_number(c.table)} {c.title}（万元）", "",
                    "| 行 | 列 | 原值 | 新值 | 变化（元） | 变化率 |",
                    "| --- | --- | ---: | ---: | ---: | ---: |"]
            row = c.row.replace("|", "\\|")
            lines.append(f"| {row} | {c.column} | {_wan(c.old)} | {_wan(c.new)} | "
                         f"{_signed_yuan(c.change)} | {_pct(c.percent)} |")
        if d.texts:
            lines += [""] * (lines[-1] != "") + ["文字（~~删除~~ **新增**）：", ""]
            lines += [_text_markdown(t) for t in d.texts]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"


def terminal(diffs: list[BudgetDiff], colour: bool) -> str:
    def paint(code, text):
        return f"{code}{text}{RESET}" if colour else text

    lines = []
    for d in diffs:
        lines.append(paint(BOLD, summary(d)) + f"  {d.old_label or '（无）'} → {d.new_label or '（无）'}")
        for f in d.unreadable + d.findings_introduced:
            lines.append(paint(RED, f"  新问题 {f.text()}"))
        for f in d.findings_fixed:
            lines.append(paint(GREEN, f"  已解决 {f.rule} {f.message}"))
        for old, new in d.projects_renamed:
            lines.append(f"  项目改名 {paint(RED, old)} → {paint(GREEN, new)}")
        lines += [f"  新增项目 {paint(GREEN, n)}" for n in d.projects_added]
        lines += [f"  删除项目 {paint(RED, n)}" for n in d.projects_removed]
        for c in d.cells:
            lines.append(f"  表{chinese_number(c.table)} {c.row} [{c.column}] "
                         f"{paint(RED, _wan(c.old))} → {paint(GREEN, _wan(c.new))} 万元 "
                         f"({_signed_yuan(c.change)} 元{', ' + _pct(c.percent) if c.percent is not None else ''})")
        for t in d.texts:
            text = "".join({"=": s, "-": paint(RED, f"[-{s}-]"), "+": paint(GREEN, f"{{+{s}+}}")}[op]
                           for op, s in _trimmed(word_diff(t.old, t.new)))
            lines.append(f"  {t.where}：{text}")
    return "\n".join(lines)


def as_json(diffs: list[BudgetDiff]) -> str:
    def number(value):
        return None if value is None else str(value)

    out = []
    for d in diffs:
        out.append({
            "old": d.old_label or None, "new": d.new_label or None, "name": d.name,
            "year": d.year, "added": d.added, "removed": d.removed, "summary": summary(d),
            "cells": [{"table": c.table, "title": c.title, "row": c.row, "column": c.column,
                       "old": number(c.old), "new": number(c.new), "change": number(c.change),
                       "percent": number(c.percent)} for c in d.cells],
            "projects": {"added": d.projects_added, "removed": d.projects_removed,
                         "renamed": [list(p) for p in d.projects_renamed]},
            "texts": [{"where": t.where, "old": t.old, "new": t.new} for t in d.texts],
            "findings_introduced": [f.as_dict() for f in d.unreadable + d.findings_introduced],
            "findings_fixed": [f.as_dict() for f in d.findings_fixed],
        })
    return json.dumps(out, ensure_ascii=False, indent=2)
