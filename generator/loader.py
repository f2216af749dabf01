"""Load one budget YAML file into plain data, keeping where every value came from.

We compose the document ourselves from libyaml's events instead of calling yaml.load:
- every scalar stays the text that was written (no YAML 1.1 guessing: `010` is not 8,
  `no` is not False, `1.10` is not a float); the schema decides what a text means;
- a duplicate key is an error naming both lines (PyYAML would keep the last one silently);
- nesting depth, alias expansion and sizes are bounded before they can blow up;
- every key and value keeps its file:line:column for messages.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

import yaml
from yaml import events

from .findings import ERROR, BudgetError, Finding, Location

try:  # libyaml's parser is about 8x faster than the pure-Python one
    from yaml import CParser as _Parser
except ImportError:  # pragma: no cover - only without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real budget is well under 200 KB
MAX_DEPTH = 32
MAX_NODES = 200_000  # after alias expansion
MAX_SCALAR_CHARS = 20_000

NULL_WORDS = {"", "~", "null", "Null", "NULL"}


class Scalar(str):
    """The text of a scalar as written; `plain` is False when it was quoted or a block."""

    plain: bool = True

    def __new__(cls, text: str, plain: bool):
        obj = super().__new__(cls, text)
        obj.plain = plain
        return obj


@dataclass
class Document:
    path: str
    data: object
    # (path of keys/indexes) -> location of the value; ("key", path) -> location of a key
    locations: dict = field(default_factory=dict)

    def where(self, *keys) -> Location:
        """The location of the value at `keys`, or of its nearest located parent."""
        keys = tuple(keys)
        while keys not in self.locations and keys:
            keys = keys[:-1]
        return self.locations.get(keys, Location(self.path, 1, 1))

    def where_key(self, *keys) -> Location:
        return self.locations.get(("key",) + tuple(keys)) or self.where(*keys)


def _location(path: str, mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _error(path: str, line: int, column: int, rule: str, message: str) -> BudgetError:
    return BudgetError([Finding(Location(path, line, column), ERROR, rule, message)])


# libyaml's English problems, in the words a budget officer understands.
_YAML_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请改用空格"),
    ("found a tab character", "不能用制表符（Tab）缩进，请改用空格"),
    ("mapping values are not allowed", "此处不能出现“键: 值”：可能缺少缩进或冒号后的值需要加引号"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("did not find expected key", "缩进不一致：这一行与上面的键没有对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：缺少“- ”或没有对齐"),
    ("found undefined alias", "引用了未定义的锚点（*别名）"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号内有无效的转义字符（\\）"),
    ("did not find expected node content", "缺少值"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头，请给值加引号"),
    ("found unexpected ':'", "多余的冒号，请给值加引号"),
    ("expected ',' or ']'", "方括号列表没有闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号映射没有闭合或缺少逗号"),
    ("control characters are not allowed", "文件含有不可见的控制字符"),
    ("found duplicate anchor", "锚点（&名称）重复定义"),
    ("expected <block end>", "缩进不一致：这一行比上一级缩进得少或多了"),
    ("expected <document start>", "顶层缩进不一致或多了一行内容"),
    ("expected alphabetic or numeric character", "锚点或别名（&名称、*名称）只能用英文字母、数字、连字符"),
    ("found character", "这个字符不能出现在值的开头，请给值加引号"),
]


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    for english, chinese in _YAML_PROBLEMS:
        if english in problem:
            return chinese
    return f"YAML 语法错误（{(exc.problem or exc.context or '').strip()}）"


def read_text(path: str, raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise _error(path, 1, 1, "file-too-large",
                     f"文件大小 {len(raw):,} 字节超过上限 {MAX_FILE_BYTES:,} 字节")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _error(path, 1, 1, "file-bom", "文件以 BOM 开头：请另存为“UTF-8（无 BOM）”编码")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        # in characters, like every other column: the line up to the bad byte is valid UTF-8
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8")) + 1
        raise _error(path, line, column, "file-encoding",
                     f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节为 0x{raw[exc.start]:02X}）："
                     "请用 UTF-8 保存，不要用 GBK/GB2312") from None
    if not text.strip():
        raise _error(path, 1, 1, "file-empty", "文件为空")
    return text


def load_file(path: str) -> Document:
    """Load a budget from a file, or from git when `path` is "REV:path" (":path" = staged)."""
    return load_text(path, read_text(path, read_source(path)))


def read_source(spec: str) -> bytes:
    """The bytes of a file, or of a file in a git revision ("main:budgets/x.yaml")."""
    if os.path.exists(spec) or ":" not in spec:
        try:
            with open(spec, "rb") as f:
                return f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise _error(spec, 1, 1, "file-unreadable", f"无法读取文件：{exc.strerror}") from None
    result = subprocess.run(["git", "show", spec], capture_output=True)
    if result.returncode:
        problem = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise _error(spec, 1, 1, "file-unreadable", f"无法从 git 读取 {spec}：{problem[0]}")
    return result.stdout


def load_text(path: str, text: str) -> Document:
    doc = Document(path, None)
    composer = _Composer(path, _Parser(text), doc.locations)
    try:
        doc.data = composer.compose_document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _error(path, line, column, "yaml-syntax", _yaml_problem(exc)) from None
    except yaml.YAMLError as exc:  # reader errors carry no mark
        raise _error(path, 1, 1, "yaml-syntax", f"YAML 语法错误（{exc}）") from None
    if composer.findings:
        raise BudgetError(composer.findings)
    if not isinstance(doc.data, dict):
        raise _error(path, 1, 1, "yaml-not-mapping", "文件的顶层必须是“键: 值”的映射")
    return doc


class _Composer:
    def __init__(self, path, parser, locations):
        self.path = path
        self.parser = parser
        self.locations = locations
        self.anchors: dict[str, tuple[object, int]] = {}  # anchor -> (value, node count)
        self.nodes = 0
        self.findings: list[Finding] = []

    def compose_document(self):
        self._expect(events.StreamStartEvent)
        if self.parser.check_event(events.StreamEndEvent):
            raise _error(self.path, 1, 1, "file-empty", "文件为空")
        self._expect(events.DocumentStartEvent)
        value, _ = self._node((), 0)
        self._expect(events.DocumentEndEvent)
        if not self.parser.check_event(events.StreamEndEvent):
            ev = self.parser.peek_event()
            raise _error(self.path, ev.start_mark.line + 1, 1, "yaml-multiple-documents",
                         "一个文件只能有一个文档：请删除“---”分隔的第二部分")
        return value

    def _expect(self, kind):
        ev = self.parser.get_event()
        assert isinstance(ev, kind), ev  # libyaml guarantees the stream's shape
        return ev

    def _count(self, n, mark):
        self.nodes += n
        if self.nodes > MAX_NODES:
            loc = _location(self.path, mark)
            raise _error(self.path, loc.line, loc.column, "yaml-too-large",
                         f"展开后超过 {MAX_NODES:,} 个值（可能是锚点/别名的恶意嵌套）")

    def _node(self, keys, depth) -> tuple[object, int]:
        """Compose the next node; return its value and how many nodes it holds."""
        ev = self.parser.get_event()
        if isinstance(ev, events.AliasEvent):
            if ev.anchor not in self.anchors:
                loc = _location(self.path, ev.start_mark)
                raise _error(self.path, loc.line, loc.column, "yaml-syntax",
                             f"引用了未定义的锚点 *{ev.anchor}")
            value, size = self.anchors[ev.anchor]
            self._count(size, ev.start_mark)
            self.locations[keys] = _location(self.path, ev.start_mark)
            return value, size
        if depth > MAX_DEPTH:
            loc = _location(self.path, ev.start_mark)
            raise _error(self.path, loc.line, loc.column, "yaml-too-deep",
                         f"嵌套超过 {MAX_DEPTH} 层")
        self._count(1, ev.start_mark)
        self.locations[keys] = _location(self.path, ev.start_mark)
        if isinstance(ev, events.ScalarEvent):
            value, size = self._scalar(ev), 1
        elif isinstance(ev, events.SequenceStartEvent):
            value, size = self._sequence(keys, depth)
        else:
            value, size = self._mapping(keys, depth, ev)
        if ev.anchor:
            self.anchors[ev.anchor] = (value, size)
        return value, size

    def _scalar(self, ev):
        if len(ev.value) > MAX_SCALAR_CHARS:
            loc = _location(self.path, ev.start_mark)
            raise _error(self.path, loc.line, loc.column, "text-too-long",
                         f"文字长度 {len(ev.value):,} 超过上限 {MAX_SCALAR_CHARS:,} 字")
        plain = ev.style is None and ev.tag is None
        if plain and ev.value in NULL_WORDS:
            return None
        return Scalar(ev.value, plain)

    def _sequence(self, keys, depth):
        items, size = [], 1
        while not self.parser.check_event(events.SequenceEndEvent):
            value, n = self._node(keys + (len(items),), depth + 1)
            items.append(value)
            size += n
        self.parser.get_event()
        return items, size

    def _mapping(self, keys, depth, start):
        mapping, size, key_lines = {}, 1, {}
        while not self.parser.check_event(events.MappingEndEvent):
            key_ev = self.parser.peek_event()
            key_loc = _location(self.path, key_ev.start_mark)
            if not isinstance(key_ev, events.ScalarEvent):
                raise _error(self.path, key_loc.line, key_loc.column, "yaml-complex-key",
                             "键必须是简单的文字，不能是列表或映射")
            self.parser.get_event()
            self._count(1, key_ev.start_mark)
            key = str(key_ev.value)
            if key == "<<" and key_ev.style is None:
                raise _error(self.path, key_loc.line, key_loc.column, "yaml-merge-key",
                             "不支持合并键“<<”：请直接写出各项")
            if key in mapping:  # reported, and the rest of the file is still read
                first = key_lines[key]
                self.findings.append(Finding(key_loc, ERROR, "duplicate-key",
                                             f"键“{key}”重复：第 {first.line} 行已经写过，"
                                             f"第 {key_loc.line} 行又写了一次（只能保留一处）"))
                self._node(keys + (key, "duplicate"), depth + 1)
                continue
            key_lines[key] = key_loc
            self.locations[("key",) + keys + (key,)] = key_loc
            value, n = self._node(keys + (key,), depth + 1)
            mapping[key] = value
            size += n + 1
        self.parser.get_event()
        return mapping, size
