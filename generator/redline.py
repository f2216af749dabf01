"""The redline: the new disclosure with what changed since a git revision marked in place.

`budget build PATH --redline BASE` renders PATH as it is in the working tree and marks, from
generator.diff.diff_budgets("BASE:PATH", PATH):

- every changed cell of the 13 tables (the table macros read `redline.cells`, keyed by
  (table number, row index, column index)): the new figure in <ins>, the old one in <del>;
- every changed sentence of 第三部分 and every changed text of the 绩效目标表 and of 本部门职责:
  the rendered HTML is post-processed inside the section of the change's anchor, the new words
  wrapped in <ins> and the old ones added after them in <del> (generator.diff.word_diff);
- a banner on top: BASE → 工作区, the summary line of `budget diff`, projects, findings;
- when the new version has errors (a redline is made as long as the budget builds), every
  error numbered in the banner, and the cells each one compares (Finding.cells) marked ⚠N.

Only the redline page changes: without `redline` render_html gives the published document.
"""
from __future__ import annotations

import difflib
import html as html_lib
import os
import re
from dataclasses import dataclass, field

from .changes import Change, git, not_a_revision, path_of, resolve, toplevel
from .check import analyse
from .diff import BudgetDiff, CellChange, TextChange, diff_budgets, word_diff
from .diff_format import MAX_DOCUMENT_LINES, MAX_EDITS_SHOWN, edit_line, summary
from .findings import ERROR, Cell, sort_key
from .money import amount
from .narrative import Section, sentences
from .narratives import narrative
from .render import render_html


class RedlineError(Exception):
    """The redline cannot be made (no git, unknown revision); the message is in Chinese."""


# ---- the old side in git ----------------------------------------------------------------------

def check_base(base: str) -> None:
    """Raise RedlineError unless `base` names a commit of the git repository we are in."""
    try:
        toplevel()
    except ValueError:
        raise RedlineError("--redline 需要在 git 仓库中运行（当前文件夹不在 git 仓库中）") from None
    if not resolve(base):
        raise RedlineError(f"--redline：{not_a_revision(base)}")


def old_source(base: str, path: str, change: Change) -> str | None:
    """"BASE:path" for diff_budgets, the path taken relative to the repository's top (git
    reads "REV:path" from the top, whatever folder we are in); when git sees the file renamed
    since BASE (`change`: generator.changes), its old path; None if the file did not exist at
    BASE."""
    if not os.path.isfile(path):
        raise RedlineError(f"--redline 比较的是工作区中的文件：{path} 不是工作区中的文件")
    top = toplevel()
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top)).replace(os.sep, "/")
    if relative.startswith("../"):
        raise RedlineError(f"--redline：{path} 不在当前的 git 仓库（{top}）中")
    # "BASE:path" as the user named BASE, unless that name holds a ":" (git would misread it)
    spec = f"{base if ':' not in base else resolve(base)}:{relative}"
    try:
        git("cat-file", "-e", "--end-of-options", spec)
        return spec
    except ValueError:
        renamed = [old for old, new in change.pairs if old and new == relative]
        return renamed[0] if renamed else None


# ---- what the templates print --------------------------------------------------------------

@dataclass(frozen=True)
class CellMark:
    old: str  # the old figure as the table would print it (0.00 for a blank, — for no row)
    title: str  # e.g. "原值 91.92 万元，变化 +1,000.00 元（+0.11%）"
    change: str = ""  # printed under the old figure (a PDF has no hover), e.g. "+1,000.00元"


@dataclass(frozen=True)
class CellFlag:
    """A cell that errors of the new version compare: marked ⚠N, N their numbers in the banner."""
    numbers: tuple[int, ...]
    title: str  # the errors, for the hover


@dataclass(frozen=True)
class ErrorLine:
    number: int
    text: str  # "rule 第 N 行：message"


@dataclass
class Redline:
    """The context of a redline page: `cells` for the table macros, the rest for the banner
    (templates/redline_banner.html.j2). Every text is formatted here, not in templates."""
    base: str
    path: str
    old_label: str  # "BASE:path", or "" when the file is new
    added: bool  # the file did not exist at BASE: everything is new, nothing is marked
    summary: str
    cells: dict[tuple[int, int, int], CellMark] = field(default_factory=dict)
    places: list[tuple[str, str]] = field(default_factory=list)  # (label, "#anchor")
    edits: list[str] = field(default_factory=list)  # the YAML edits and what each caused
    joint: str = ""  # what only several edits together changed
    # lines of the document that changed when the code, catalogue or templates changed
    document: list[str] = field(default_factory=list)
    document_more: int = 0  # lines left out of `document`
    base_problem: str = ""  # why BASE's own tree could not render this budget
    projects: list[str] = field(default_factory=list)  # "新增项目：X", "项目改名：X → Y"
    introduced: list[str] = field(default_factory=list)  # findings, one line each
    fixed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # why BASE's version cannot be read
    unshown: list[str] = field(default_factory=list)  # changed cells of rows that are gone
    errors: list[ErrorLine] = field(default_factory=list)  # of the new version, numbered
    flags: dict[tuple[int, int, int], CellFlag] = field(default_factory=dict)


def _cell_mark(c: CellChange) -> CellMark:
    """The old figure in the table's own unit, and the change in 元."""
    old = "—" if c.old is None else amount(c.old, c.unit, zero="0.00" if c.unit == "万元" else "0")
    percent = f"（{c.percent:+.2f}%）" if c.percent is not None else ""
    return CellMark(old, f"原值 {old} {c.unit}，变化 {c.change:+,.2f} 元{percent}",
                    f"{c.change:+,.2f}元")


def _finding_line(f) -> str:
    return f"{f.rule} 第 {f.location.line} 行：{f.message}"


_ORDINAL = re.compile(r"[一二三四五六七八九十]+、")  # 表一's “一、一般公共预算”


def locate(derived, cell: Cell) -> tuple[int, int, int] | None:
    """(table, row index, column index) of `cell` in the derived tables, as the table macros
    count them: the first row whose code or name is cell.row."""
    table = derived.tables.get(cell.table)
    if table is None or cell.column not in table.columns:
        return None
    for index, row in enumerate(table.rows):
        if cell.row in (row.code, row.name, row.name2, _ORDINAL.sub("", row.name, count=1)):
            return cell.table, index, table.columns.index(cell.column)
    return None


def flag_errors(r: Redline, derived, findings) -> None:
    """Number the errors of the new version for the banner and mark the cells they compare."""
    numbers: dict[tuple[int, int, int], list[int]] = {}
    for number, f in enumerate(sorted((f for f in findings if f.severity == ERROR),
                                      key=sort_key), 1):
        r.errors.append(ErrorLine(number, _finding_line(f)))
        for cell in f.cells:
            at = locate(derived, cell)
            if at and number not in numbers.setdefault(at, []):
                numbers[at].append(number)
    titles = {e.number: f"⚠{e.number} {e.text}" for e in r.errors}
    r.flags = {at: CellFlag(tuple(ns), "\n".join(titles[n] for n in ns))
               for at, ns in numbers.items()}


def _plain_words(old: str, new: str) -> str:
    """A changed text in the banner's list of edits: old and new, shortened alike."""
    from .diff_format import _trimmed
    return "".join({"=": s, "-": f"〔删：{s}〕", "+": f"〔增：{s}〕"}[op]
                   for op, s in _trimmed(word_diff(old, new)))


def make_redline(base: str, path: str, d: BudgetDiff, derived=None, findings=()) -> Redline:
    """What the templates need of the diff `d` of `path` since `base`; with the new version's
    `derived` tables and `findings`, its errors too."""
    r = Redline(base=base, path=path, old_label=d.old_label, added=d.added, summary=summary(d))
    if derived is not None:
        flag_errors(r, derived, findings)
    for c in d.cells:
        if c.row_index is None:  # the row is not in the new table: say it in the banner
            r.unshown.append(f"{c.label} {c.row}［{c.column}］原值 "
                             f"{_cell_mark(c).old} {c.unit}（新表中已无此行）")
        else:
            r.cells[(c.table, c.row_index, c.column_index)] = _cell_mark(c)
    for number, label in dict.fromkeys((c.table, c.label) for c in d.cells if c.row_index is not None):
        count = sum(c.table == number and c.row_index is not None for c in d.cells)
        r.places.append((f"{label}（{count} 处）", f"#table-{number}-section"))
    for where, anchor in dict.fromkeys((t.where, t.anchor) for t in d.texts):
        r.places.append((where, f"#{anchor}"))
    r.projects = ([f"新增项目：{name}" for name in d.projects_added]
                  + [f"删除项目：{name}" for name in d.projects_removed]
                  + [f"项目改名：{old} → {new}" for old, new in d.projects_renamed])
    r.edits = [edit_line(e, _plain_words) for e in d.edits[:MAX_EDITS_SHOWN]]
    if len(d.edits) > MAX_EDITS_SHOWN:
        r.edits.append(f"……另有 {len(d.edits) - MAX_EDITS_SHOWN} 处（`budget diff` 可看全部）")
    r.joint = "、".join(d.joint)
    r.document = [f"{op} {line}" for op, line in d.document[:MAX_DOCUMENT_LINES]]
    r.document_more = max(len(d.document) - MAX_DOCUMENT_LINES, 0)
    r.base_problem = d.base_problem
    r.introduced = [_finding_line(f) for f in d.findings_introduced]
    r.fixed = [_finding_line(f) for f in d.findings_fixed]
    r.unreadable = [_finding_line(f) for f in d.unreadable]
    return r


# ---- marking text in the rendered HTML ---------------------------------------------------------

_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.S)  # a comment, a tag or a text
_UNIT = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|.", re.S)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_SPACE = re.compile(r"\s")  # what generator.diff.sentences removes


@dataclass(frozen=True)
class _Char:
    """One visible character of a text node: where it is in the HTML source."""
    text: str
    start: int
    end: int
    node: int  # the text node it belongs to (a wrapper never crosses nodes)
    svg: int | None  # the <svg> it is in: there <ins> would not render, <tspan> is used


def _chars(html: str, start: int, end: int, narrative: bool) -> tuple[list[_Char], dict]:
    """The characters of html[start:end] that are not white space, in order, and {svg: end
    of its </svg>}. For a `narrative` section only its text: tables and the inserts a
    template marks `data-insert` (chart, forms) are left out, as generator.narrative does."""
    chars, svg_ends = [], {}
    tables, svg = 0, None
    inserted: list[str] = []  # the open elements of an insert, by tag name
    for node, m in enumerate(_TOKEN.finditer(html, start, end)):
        token = m.group()
        if token.startswith("<"):
            tag = _TAG_NAME.match(token)
            name = tag.group(2).lower() if tag else ""
            if name == "table":
                tables += -1 if tag.group(1) else 1
            elif name == "svg":
                if tag.group(1):
                    svg_ends[svg], svg = m.end(), None
                else:
                    svg = m.start()
            if inserted and name == inserted[-1] and not token.endswith("/>"):
                if tag.group(1):
                    inserted.pop()
                else:
                    inserted.append(name)
            elif name and not tag.group(1) and ("data-insert" in token or name == "title"):
                inserted.append(name)  # an insert, or an SVG's <title> (its text alternative)
            continue
        if narrative and (tables or inserted):
            continue
        for unit in _UNIT.finditer(token):
            for ch in html_lib.unescape(unit.group()):  # an entity is one character
                if not _SPACE.fullmatch(ch):
                    chars.append(_Char(ch, m.start() + unit.start(), m.start() + unit.end(),
                                       node, svg))
    return chars, svg_ends


def _scope(html: str, anchor: str) -> tuple[int, int] | None:
    """The part of the HTML that the text of `anchor` is in: the content of a <section id>,
    or what follows an <h1 id> or <h2 id> up to the next heading of its level or above."""
    m = re.search(rf'<(section|h1|h2)\b[^>]*\bid="{re.escape(anchor)}"[^>]*>', html)
    if not m:
        return None
    if m.group(1) in ("h1", "h2"):
        start = html.index(f"</{m.group(1)}>", m.end()) + len("</h1>")
        levels = ("<h1",) if m.group(1) == "h1" else ("<h2", "<h1")
        ends = [i for i in (html.find(level, start) for level in levels) if i >= 0]
        return start, min(ends) if ends else len(html)
    depth = 1
    for tag in re.finditer(r"<(/?)section\b[^>]*>", html[m.end():]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return m.end(), m.end() + tag.start()
    return None


class _Edits:
    """Insertions into the HTML source, applied at once (positions stay those of the input)."""

    def __init__(self):
        self.items: list[tuple[int, int, str]] = []

    def add(self, position: int, text: str) -> None:
        self.items.append((position, len(self.items), text))  # same place: in order of adding

    def apply(self, html: str) -> str:
        out, last = [], 0
        for position, _, text in sorted(self.items):
            out += [html[last:position], text]
            last = position
        return "".join(out) + html[last:]


SHORT = 3  # an unchanged run shorter than this between two changes is shown as changed


def _ops(old: str, new: str) -> list[tuple[str, str]]:
    """generator.diff.word_diff made readable: Chinese compared character by character
    matches a 的 or a 。 here and there inside a rewritten sentence; such short matches
    between two changes are taken into the change, which then reads as one old and one new
    run ("-" before "+", as word_diff gives them)."""
    ops = word_diff(old, new)
    runs = []  # ("=", text, text) or ("~", old part, new part)
    for i, (op, text) in enumerate(ops):
        # word_diff never gives two "=" in a row: one not first or last lies between changes
        if op == "=" and not (0 < i < len(ops) - 1 and len(text) < SHORT):
            runs.append(("=", text, text))
            continue
        if not runs or runs[-1][0] == "=":
            runs.append(("~", "", ""))
        _, before, after = runs[-1]
        runs[-1] = ("~", before + (text if op != "+" else ""), after + (text if op != "-" else ""))
    result = []
    for kind, before, after in runs:
        if kind == "=":
            result.append(("=", before))
            continue
        result += [("-", before)] * bool(before) + [("+", after)] * bool(after)
    return result


def _mark(chars: list[_Char], svg_ends: dict, start: int, old: str, new: str,
          edits: _Edits) -> None:
    """Mark a change whose new text is chars[start:start + len(new)]: the added words in
    <ins>, each removed run in <del> right after the words that replaced it (or where it
    was). Inside the chart (SVG) the new words get <tspan class="changed"> and the old ones a
    line under the chart, since an SVG has no room for them."""
    position, pending = start, None  # pending: removed words waiting for their replacement

    def delete(text: str, after: int) -> None:
        # `after` is the index of the character the removed text follows (-1: none)
        if not chars:
            return
        where = chars[max(after, 0)]
        if where.svg is not None:
            edits.add(svg_ends[where.svg], f'<p class="redline-note">图中原为：<del>'
                                           f'{html_lib.escape(text, quote=False)}</del></p>')
        else:
            edits.add(where.end if after >= 0 else where.start,
                      f"<del>{html_lib.escape(text, quote=False)}</del>")

    for op, text in _ops(old, new):
        if op == "-":
            pending = text
            continue
        if op == "+":
            piece = chars[position:position + len(text)]
            for i, ch in enumerate(piece):  # one wrapper per text node
                if i == 0 or piece[i - 1].node != ch.node:
                    edits.add(ch.start, '<tspan class="changed">' if ch.svg is not None
                              else "<ins>")
                if i == len(piece) - 1 or piece[i + 1].node != ch.node:
                    edits.add(ch.end, "</tspan>" if ch.svg is not None else "</ins>")
        elif pending is not None:  # a removal with nothing in its place
            delete(pending, position - 1)
            pending = None
        position += len(text)
        if op == "+" and pending is not None:
            delete(pending, position - 1)
            pending = None
    if pending is not None:
        delete(pending, position - 1)


def _note_html(t: TextChange) -> str:
    from .diff_format import _trimmed  # the same shortening of long unchanged runs as budget diff

    words = "".join({"=": html_lib.escape(s, quote=False),
                     "-": f"<del>{html_lib.escape(s, quote=False)}</del>",
                     "+": f"<ins>{html_lib.escape(s, quote=False)}</ins>"}[op]
                    for op, s in _trimmed(_ops(t.old, t.new)))
    return (f'<div class="redline-note"><p><strong>修订（{html_lib.escape(t.where)}）：</strong>'
            f"{words}</p></div>")


def _narrative_places(old: dict, new: dict) -> dict[str, list[tuple[int, str, str]]]:
    """{section: [(offset of the new text in the section's text, old, new)]} from the
    sentences of both sides: the very comparison of generator.diff.diff_narrative, keeping
    where each change is (a removed sentence has no text of its own to be found by)."""
    places = {}
    for ident, (_, after) in new.items():
        before = old.get(ident, ("", []))[1]
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                places.setdefault(ident, []).append(
                    (len("".join(after[:b1])), "".join(before[a1:a2]), "".join(after[b1:b2])))
    return places


def mark_texts(html: str, texts: list[TextChange], new_sections: list[Section],
               old_sections: list[Section] | None) -> str:
    """The HTML with every changed text marked where it is; a change that cannot be found
    exactly (an indicator list, a text made empty) gets a note at the top of its section."""
    edits = _Edits()
    new_sentences = sentences(new_sections)
    places = _narrative_places(sentences(old_sections), new_sentences) \
        if old_sections is not None else {}
    anchors = {s.id for s in new_sections}
    by_anchor: dict[str, list[TextChange]] = {}
    for t in texts:
        by_anchor.setdefault(t.anchor, []).append(t)
    for anchor, changes in by_anchor.items():
        scope = _scope(html, anchor)
        if scope is None:
            continue  # no such section in the page: the banner lists every change anyway
        if anchor in anchors:
            chars, svg_ends = _chars(html, *scope, narrative=True)
            found = places.get(anchor, [])
            # exact only if we read the section's text as diff.sentences does, and found the
            # very changes diff_budgets reports
            if ("".join(c.text for c in chars) == "".join(new_sentences.get(anchor, ("", []))[1])
                    and [(o, n) for _, o, n in found] == [(t.old, t.new) for t in changes]):
                for offset, old, new in found:
                    _mark(chars, svg_ends, offset, old, new, edits)
                continue
            for t in changes:
                edits.add(scope[0], _note_html(t))
            continue
        chars, svg_ends = _chars(html, *scope, narrative=False)
        text = "".join(c.text for c in chars)
        used: set[int] = set()  # characters already marked: two marks never overlap
        for t in changes:
            old, new = _SPACE.sub("", t.old), _SPACE.sub("", t.new)
            at = text.find(new)
            span = set(range(at, at + len(new)))
            if new and text.count(new) == 1 and not span & used:  # there and nowhere else
                used |= span
                _mark(chars, svg_ends, at, old, new, edits)
            else:
                edits.add(scope[0], _note_html(t))
    return edits.apply(html)


# ---- the whole ----------------------------------------------------------------------------------

def _old_tree_side(base: str, old: str | None, change: Change):
    """The old version as BASE's own tree checks and renders it (a base_tree.TreeResult) when
    the change since BASE touches what every budget depends on (generator.changes): then a
    template or catalogue change shows too.  None otherwise: the current code reads both."""
    if old is None or not change.shared:
        return None
    from .base_tree import evaluate_at
    relative = path_of(old)
    return evaluate_at(base, [relative]).get(relative)


def redline_html(path: str, base: str, budget, derived, findings=()) -> str:
    """The redline page of the budget at `path` (already analysed: `budget`, `derived` and
    its `findings`, errors included) against its version at the git revision `base`."""
    from .changes import changes

    check_base(base)
    try:
        change = changes(base)
        old = old_source(base, path, change)
        d = diff_budgets(old, path, _old_tree_side(base, old, change))
    except ValueError as exc:  # git failed, or BASE's version cannot be read at all
        raise RedlineError(str(exc)) from None
    redline = make_redline(base, path, d, derived, findings)
    html = render_html(budget, derived, redline=redline)
    old_budget, old_derived, _ = analyse(old) if old and not d.unreadable else (None, None, [])
    old_sections = narrative(old_budget, old_derived) if old_budget else None
    return mark_texts(html, d.texts, narrative(budget, derived), old_sections)
