"""Budgets as another revision's own tree checks and renders them, and the text of a rendered
disclosure for comparing two renderings.

When a change touches what every budget depends on (schema/, templates/, generator/ …),
`budget diff --git BASE` must evaluate the old side with BASE's code, catalogue and templates,
not today's: evaluate_at exports BASE's tree into a temporary folder and runs THAT tree's own
documented command line there (`check --format json`, `build --format html`), with this
interpreter.  document_lines turns each rendering into one line per row, heading, paragraph
and list item, each saying where it is, and changed_lines lists the lines that differ.
"""
from __future__ import annotations

import difflib
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .changes import not_a_revision, resolve
from .findings import ERROR, Finding, Location

TIMEOUT = 600  # seconds for each command run in the old tree

# Runs the tree's generator.cli as `python -m` would, but first hides this project's editable
# install: its import hook would otherwise supply, from the current code, any module the old
# tree lacks (or the whole package, if the old tree has none).
_BOOTSTRAP = """\
import runpy, sys
sys.meta_path[:] = [f for f in sys.meta_path
                    if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path[:] = [p for p in sys.path if not p.startswith("__editable__")]
runpy.run_module("generator.cli", run_name="__main__", alter_sys=True)
"""


@dataclass
class TreeResult:
    findings: list[Finding]  # paths relative to the repository's top, e.g. "budgets/2026/x.yaml"
    html: str | None  # the disclosure as that tree renders it; None: errors, or not built
    problem: str = ""  # Chinese: why that tree could not evaluate this budget at all


def evaluate_at(revision: str, paths: list[str]) -> dict[str, TreeResult]:
    """Each budget path (relative to the repository's top) as the tree of `revision` checks and
    renders it.  A path the revision does not have is absent from the result.  Raises
    ValueError (in Chinese) when `revision` is not a commit of this repository."""
    top = _toplevel()
    commit = resolve(revision)  # an id: no later git command can read it as an option
    if not commit:
        raise ValueError(not_a_revision(revision))
    files = set(_git(top, "ls-tree", "-r", "-z", "--full-tree", "--name-only", commit)
                .decode("utf-8", "surrogateescape").split("\0"))
    present = [p for p in dict.fromkeys(paths) if posixpath.normpath(p) in files]
    if not present:
        return {}
    with tempfile.TemporaryDirectory(prefix="budget-base-") as tmp:
        tree = Path(tmp) / "tree"
        problem = _export(top, commit, tree)
        if not problem:
            found, problem = _check(tree, present)
        if problem:
            return {p: TreeResult([], None, f"版本 {revision} {problem}") for p in present}
        clean = [p for p in present if not any(f.severity == ERROR for f in found[p])]
        pages, problems = _build(tree, clean, Path(tmp))
    return {p: TreeResult(found[p], pages.get(p),
                          f"版本 {revision} {problems[p]}" if p in problems else "")
            for p in present}


# ---- git --------------------------------------------------------------------------------------

def _git(top: str, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=top,
                                capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ValueError(f"git {args[0]} 超过 {TIMEOUT} 秒仍未完成") from None
    if result.returncode:
        detail = result.stderr.decode("utf-8", "replace").strip() or result.returncode
        raise ValueError(f"git {args[0]} 失败：{detail}")
    return result.stdout


def _toplevel() -> str:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                            encoding="utf-8", errors="surrogateescape")
    if result.returncode:
        raise ValueError("当前文件夹不在 git 仓库中，无法取出其他版本的预算")
    return result.stdout.rstrip("\n")


def _export(top: str, commit: str, tree: Path) -> str:
    """Unpack the commit's files into `tree`; the problem, if that fails."""
    try:
        archive = _git(top, "archive", "--format=tar", commit)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter=_inside)
    except (ValueError, OSError, tarfile.TarError) as exc:
        return f"的文件无法取出：{exc}"
    if not (tree / "generator" / "cli.py").is_file():
        return "没有 budget 命令（generator/cli.py），无法用该版本检查和生成"
    return ""


def _inside(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, skipping (not failing on) e.g. a link that points outside."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


# ---- the old tree's command line ----------------------------------------------------------------

def _run(tree: Path, *args: str) -> tuple[subprocess.CompletedProcess | None, str]:
    """`python -m generator.cli ARGS` of the tree, in the tree; (result, problem)."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONIOENCODING="utf-8")
    try:
        return subprocess.run([sys.executable, "-c", _BOOTSTRAP, *args], cwd=tree, env=env,
                              capture_output=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT), ""
    except subprocess.TimeoutExpired:
        return None, f"的 budget {args[0]} 超过 {TIMEOUT} 秒仍未完成"
    except OSError as exc:
        return None, f"的 budget {args[0]} 无法运行：{exc}"


def _last_line(text: str) -> str:
    """The last line of an error output: the message of a traceback."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "（没有错误信息）"


def _check(tree: Path, paths: list[str]) -> tuple[dict[str, list[Finding]] | None, str]:
    """Every budget's findings from ONE `check --format json` of all of them; (found, problem)."""
    result, problem = _run(tree, "check", "--format", "json", "--", *paths)
    if problem:
        return None, problem
    try:
        if result.returncode not in (0, 1):
            raise ValueError(f"退出码 {result.returncode}")
        findings = [_finding(item, tree) for item in json.loads(result.stdout)]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, f"的 budget check 没有给出结果：{_last_line(result.stderr)}"
    found = {p: [] for p in paths}
    by_path = {posixpath.normpath(p): p for p in paths}
    # a finding of no budget (e.g. a broken catalogue) stops every budget: each one gets it
    common = list(dict.fromkeys(f for f in findings if f.location.path not in by_path))
    for f in findings:
        if f.location.path in by_path:
            found[by_path[f.location.path]].append(f)
    for p in paths:
        found[p] += [f for f in common if f not in found[p]]
    return found, ""


def _finding(item: dict, tree: Path) -> Finding:
    path = item["path"]
    if os.path.isabs(path) and Path(path).is_relative_to(tree):
        path = Path(path).relative_to(tree).as_posix()  # e.g. a catalogue file of the tree
    return Finding(Location(posixpath.normpath(path), int(item["line"]), int(item["column"])),
                   item["severity"], item["rule"], item["message"])


def _build(tree: Path, paths: list[str], tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    """{path: HTML} from `build --format html` of budgets without errors, and {path: problem}
    for those it wrote no page for.  One call per group of budgets whose names all differ: the
    page is DIR/<year>/<stem>.html, named by the stem alone."""
    pages, problems = {}, {}
    for number, group in enumerate(_distinct_stems(paths)):
        out = tmp / f"out{number}"
        result, problem = _run(tree, "build", "--format", "html", "--out", str(out), "--", *group)
        written = {f.name: f for f in out.rglob("*.html")} if out.is_dir() else {}
        for p in group:
            page = written.get(Path(p).stem + ".html")
            if page is not None:
                pages[p] = page.read_text(encoding="utf-8")
            else:
                problems[p] = problem or ("的 budget build 没有生成公开文件："
                                          + _last_line(result.stderr))
    return pages, problems


def _distinct_stems(paths: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for p in paths:
        group = next((g for g in groups if all(Path(q).stem != Path(p).stem for q in g)), None)
        if group is None:
            groups.append(group := [])
        group.append(p)
    return groups


# ---- the rendered document as lines --------------------------------------------------------------

# What names the place of the lines after it, in this order; each is kept by the element that
# holds it (a section's heading ends with the section).  "number" is "预算公开表6" above a
# table's title, "aria" a section's aria-label (a 绩效目标表 names its project there).
KINDS = ("aria", "h1", "number", "h2", "caption", "dt")
HEADINGS = {"h1": "h1", "h2": "h2", "caption": "caption", "figcaption": "caption", "dt": "dt"}
BLOCKS = {"address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "figure",
          "footer", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre",
          "section", "table", "tbody", "tfoot", "thead", "ul"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i",
          "ins", "kbd", "mark", "q", "s", "samp", "small", "strong", "sub", "sup", "time", "u",
          "var"}
SKIPPED = {"head", "script", "style", "template", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def _collapse(parts: list[str]) -> str:
    return re.sub(r"[ \t\n\r\f]+", " ", "".join(parts)).strip(" ")


class _Lines(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.stack: list[tuple[str, dict]] = []  # open elements and the labels each holds
        self.text: list[str] = []  # the current paragraph's text
        self.heading: tuple[str, list[str], str] | None = None  # (kind, text, tag) being read
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)  # (colspan, rowspan) of the cell being read
        self.column = 0
        self.spans: dict[int, list] = {}  # column: [rows still to cover, text or None]
        self.svg: dict[str, list[str]] | None = None  # texts of a chart by their y: one row each
        self.svg_text: tuple[str, list[str]] | None = None

    # where we are

    def where(self) -> str:
        return " ".join(label for _, labels in self.stack for label in labels.values())

    def emit(self, text: str, own_line: bool = False) -> None:
        """A line "where | text"; a heading (own_line) is "where text"."""
        if text:
            where = self.where()
            self.lines.append(" ".join(filter(None, [where, text])) if own_line
                              else f"{where} | {text}" if where else text)

    def flush(self) -> None:
        self.emit(_collapse(self.text))
        self.text = []

    def set_label(self, kind: str, text: str, full: str) -> None:
        """Make `text` the holder's label of `kind` (dropping the labels it supersedes) and
        emit the heading's own line, `full`."""
        labels = self.stack[-1][1] if self.stack else {}
        for later in KINDS[KINDS.index(kind):]:
            labels.pop(later, None)
        if kind != "number":  # the number shows in the title's line that follows
            self.emit(full, own_line=True)
        labels[kind] = text

    # parsing

    def buffer(self) -> list[str] | None:
        if self.svg is not None:
            return self.svg_text[1] if self.svg_text else None
        if self.cell is not None:
            return self.cell
        return self.heading[1] if self.heading else self.text

    def skipping(self) -> bool:
        return any(tag in SKIPPED for tag, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append((tag, {}))
        if self.skipping():
            return
        if self.svg is not None:
            if tag == "text":
                self.svg_text = (attrs.get("y") or str(len(self.svg)), [])
            return
        buffer = self.buffer()
        if tag not in INLINE:
            buffer.append(" ")  # block and layout boundaries separate words
        if self.cell is not None or self.heading is not None:
            return  # inside a cell or heading, everything is that cell's or heading's text
        if tag == "svg":
            self.flush()
            self.svg = {}
        elif tag in HEADINGS or (tag == "p" and "table-number" in (attrs.get("class") or "")):
            self.flush()
            self.heading = (HEADINGS.get(tag, "number"), [], tag)
        elif tag == "tr":
            self.flush()
            self.row, self.column = [], 0
        elif tag in ("td", "th") and self.row is not None:
            self.place_spanned()
            self.cell = []
            self.cell_span = (_number(attrs.get("colspan")), _number(attrs.get("rowspan")))
        elif tag in BLOCKS:
            self.flush()
            if tag in ("table", "thead", "tbody", "tfoot"):
                self.spans = {}  # a rowspan ends with its row group
            if tag == "section" and attrs.get("aria-label"):
                self.stack[-1][1]["aria"] = _collapse([attrs["aria-label"]])

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, _ = self.stack[-1]
            skipped = self.skipping()
            self.stack.pop()
            if not skipped:
                self.end(open_tag)
            if open_tag == tag:
                break

    def end(self, tag: str) -> None:
        if self.svg is not None:
            if tag == "text" and self.svg_text:
                key, parts = self.svg_text
                if _collapse(parts):
                    self.svg.setdefault(key, []).append(_collapse(parts))
                self.svg_text = None
            elif tag == "svg":
                rows, self.svg = self.svg, None
                for texts in rows.values():
                    self.emit(" | ".join(texts))
            return
        if tag in ("td", "th") and self.cell is not None:
            self.place(_collapse(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.place_spanned(to_end=True)
            if any(self.row):
                self.emit(" | ".join(self.row))
            self.row = None
        elif self.heading is not None and tag == self.heading[2]:
            kind, parts, _ = self.heading
            self.heading = None
            full = _collapse(parts)
            # a part is named by its first word: "第三部分", not "第三部分 2026年度部门预算情况说明"
            self.set_label(kind, full.split(" ")[0] if kind == "h1" else full, full)
        elif self.cell is None and self.heading is None and tag in BLOCKS:
            self.flush()
        elif tag not in INLINE:
            self.buffer().append(" ")

    def place(self, text: str) -> None:
        """Put a cell in the row; one with rowspan is copied into the rows below it, so that
        each line says which 一级/二级指标 (or section) it belongs to."""
        colspan, rowspan = self.cell_span
        self.row.append(text)
        if rowspan > 1:
            for offset in range(colspan):
                self.spans[self.column + offset] = [rowspan - 1, None if offset else text]
        self.column += colspan

    def place_spanned(self, to_end: bool = False) -> None:
        """The copies of cells above that span into this row at the current column (to the
        row's end: all of them)."""
        while self.column in self.spans or (to_end and any(c > self.column for c in self.spans)):
            span = self.spans.get(self.column)
            if span:
                if span[1] is not None:
                    self.row.append(span[1])
                span[0] -= 1
                if not span[0]:
                    del self.spans[self.column]
            self.column += 1

    def handle_data(self, data):
        if self.skipping():
            return
        buffer = self.buffer()
        if buffer is not None:
            buffer.append(data)


def _number(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() and int(value) > 0 else 1


def document_lines(html: str) -> list[str]:
    """The rendered disclosure as plain lines for comparing two renderings: one per table row
    ("where | cell | cell …", blank cells kept), heading, paragraph, list item and chart row,
    each prefixed with where it is, e.g. "第三部分 六、一般公共预算基本支出情况说明 | 人员经费…"."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.lines


def changed_lines(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """The removed ("-", line) and added ("+", line) lines, in document order."""
    changes = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += [("-", line) for line in old[i1:i2]] + [("+", line) for line in new[j1:j2]]
    return changes
