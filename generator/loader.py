"""Load one budget YAML file into plain data, keeping where every value came from.

We compose the document ourselves from libyaml's events instead of calling yaml.load:
- every scalar stays the text that was written (no YAML 1.1 guessing: `010` is not 8,
  `no` is not False, `1.10` is not a float); the schema decides what a text means;
- a duplicate key is an error naming both lines (PyYAML would keep the last one silently);
- nesting depth, alias expansion and sizes are bounded before they can blow up;
- every key and value keeps its file:line:column for messages.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field

import yaml
from yaml import events

from .files import kind_of
from .findings import ERROR, WARNING, BudgetError, Finding, Location

try:  # libyaml's parser is about 8x faster than the pure-Python one
    from yaml._yaml import CParser as _Parser  # (`yaml` itself exports CLoader, not CParser)
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
MAX_TEXT_CHARS = 1_000_000  # all scalars' text after alias expansion: a full-size file has less
# Aliases repeat a text or an indicator list a few times (implementation: *ind-x); they may
# add at most as many values as the file writes (and this many more), not copy projects by the
# hundred: 500 aliased projects in a 99 KB file made a 543-page PDF in 93 s and 2.7 GB
ALIAS_SLACK = 1_000
MAX_SCALAR_CHARS = 20_000

NULL_WORDS = {"", "~", "null", "Null", "NULL"}

# The characters YAML allows in a file (its "printable" set) ...
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# ... less NEL, LS and PS, which YAML counts as line breaks and editors do not, so every line
# number after one would be wrong.  libyaml stops at an unprintable one without a line number.
_INVALID_CHAR = re.compile("[\x85\u2028\u2029]|" + _UNPRINTABLE.pattern)
_LINE_BREAK = re.compile("\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(b"\r\n|\r|\n")

# Files that are something else, known by their first bytes.
_MAGIC = [
    (b"%PDF-", "PDF 文件"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"), (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"), (b"MM\x00*", "TIFF 图片"),
    (b"PK\x03\x04", "压缩包或 Word/Excel/WPS 文档（.zip、.docx、.xlsx 等）"),
    (b"PK\x05\x06", "压缩包（.zip）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel/WPS 文档（.doc、.xls、.wps 等）"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"{\\rtf", "RTF 文档"),
    (b"SQLite format 3\x00", "SQLite 数据库"),
    (b"\x7fELF", "程序文件"),
]
_WEBP = (b"RIFF", b"WEBP")  # RIFF....WEBP
_MARKUP = re.compile(rb"\s*<(\?xml|!doctype html|html)[\s>]", re.I)
# What a file whose name says it is not YAML is, by its suffix.
_SUFFIXES = {".md": "Markdown 文档", ".markdown": "Markdown 文档", ".txt": "文本文件",
             ".csv": "CSV 表格", ".json": "JSON 文件", ".html": "网页（HTML）", ".htm": "网页（HTML）",
             ".pdf": "PDF 文件", ".doc": "Word 文档", ".docx": "Word 文档", ".xls": "Excel 表格",
             ".xlsx": "Excel 表格", ".wps": "WPS 文档", ".et": "WPS 表格", ".png": "图片",
             ".jpg": "图片", ".jpeg": "图片", ".py": "程序文件", ".toml": "配置文件"}
# the load errors that only say "this is no YAML budget" about a file named as something else
_KEEP_FOR_OTHER_SUFFIXES = {"file-empty", "file-too-large", "file-unreadable"}
NOT_BUDGET = "这不是预算文件："
EXAMPLE = "预算文件是 UTF-8 编码的 .yaml 文本文件，例如 budgets/2026/zezhou-xinfang.yaml"


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
    warnings: list = field(default_factory=list)  # the loader's warnings: text cut by " #"

    def where(self, *keys) -> Location:
        """The location of the value at `keys`, or of its nearest located parent."""
        keys = tuple(keys)
        while keys not in self.locations and keys:
            keys = keys[:-1]
        return self.locations.get(keys, Location(self.path, 1, 1))

    def where_key(self, *keys) -> Location:
        return self.locations.get(("key",) + tuple(keys)) or self.where(*keys)

    def texts(self):
        """(path, text) of every scalar of the document, in the order written."""
        def walk(value, path):
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from walk(v, path + (k,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    yield from walk(v, path + (i,))
            elif isinstance(value, str):
                yield path, value
        return walk(self.data, ())


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
    ("found invalid Unicode character escape code", "双引号内的 \\u 转义不是有效的字符"),
    ("exceeded maximum nesting depth", f"嵌套超过 {MAX_DEPTH} 层"),
    ("did not find expected node content", "缺少值"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头，请给值加引号"),
    ("found unexpected ':'", "多余的冒号，请给值加引号"),
    ("expected ',' or ']'", "方括号列表没有闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号映射没有闭合或缺少逗号"),
    ("control characters are not allowed", "文件含有不可见的控制字符"),
    ("found duplicate anchor", "锚点（&名称）重复定义"),
    ("expected <block end>", "缩进不一致：这一行比上一级缩进得少或多了"),
    ("expected <document start>", "顶层缩进不一致或多了一行内容"),
    ("expected '<document start>'", "顶层缩进不一致或多了一行内容"),
    ("expected alphabetic or numeric character", "锚点或别名（&名称、*名称）只能用英文字母、数字、连字符"),
    ("did not find expected comment or line break",
     "“|”或“>”后面同一行不能再写文字：文字另起一行并缩进，或给整段文字加引号"),
    ("tag handle", "不支持 YAML 标签：请删去以“!”开头的部分（文字以“!”开头时给整段文字加引号）"),
    ("URI", "不支持 YAML 标签：请删去以“!”开头的部分（文字以“!”开头时给整段文字加引号）"),
    ("directive", "文件开头以“%”开头的指令行不对：请删除这些行"),
    ("incompatible YAML document", "文件开头以“%”开头的指令行不对：请删除这些行"),
    ("found character", "这个字符不能出现在值的开头，请给值加引号"),
]


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "") + " " + (exc.context or "")
    for english, chinese in _YAML_PROBLEMS:
        if english in problem:
            return chinese
    return f"YAML 语法错误（{(exc.problem or exc.context or '').strip()}）"


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError, last_scalar) -> BudgetError:
    """The finding for a YAML syntax error, at the place a budget officer has to change.

    libyaml notices an unclosed quote or bracket only where the text stops making sense, often
    many lines further down; the opening quote or bracket is where the mistake is."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context, start = exc.problem or "", exc.context or "", exc.context_mark
    if "exceeded maximum nesting depth" in problem:
        return _error(path, line, column, "yaml-too-deep", _yaml_problem(exc))
    if "could not find expected ':'" in problem and "simple key" in context and start:
        return _error(path, start.line + 1, start.column + 1, "yaml-syntax", _yaml_problem(exc))
    if "expected <document start>" in problem or "expected '<document start>'" in problem:
        lines = text.splitlines()[:line - 1]
        ends = [n for n, content in enumerate(lines, 1) if content.rstrip() == "..."]
        if ends:
            return _error(path, ends[-1], 1, "yaml-multiple-documents",
                          f"一个文件只能有一个文档：第 {ends[-1]} 行的“...”表示文档到此结束，请删除这一行")
    if "while scanning a quoted scalar" in context and start:
        return _error(path, start.line + 1, start.column + 1, "yaml-syntax",
                      f"引号没有闭合：第 {start.line + 1} 行开始的引号到文件末尾也没有配对的引号")
    if ("while parsing a flow" in context and start and start.line + 1 < line
            and ("expected ','" in problem or "end of stream" in problem)):
        bracket = "方括号“[”" if "sequence" in context else "花括号“{”"
        return _error(path, start.line + 1, start.column + 1, "yaml-syntax",
                      f"{bracket}没有闭合，或其中缺少逗号（到第 {line} 行仍未结束）")
    end = last_scalar.end_mark if last_scalar is not None else None
    if end and last_scalar.style in ("'", '"') and mark and end.line == mark.line \
            and end.column <= mark.column \
            and not text.splitlines()[mark.line][end.column:mark.column].strip():
        # the error is right after a quoted value
        begin = last_scalar.start_mark
        if begin.line < mark.line:  # the "closing" quote was the opening one of a later value
            return _error(path, begin.line + 1, begin.column + 1, "yaml-syntax",
                          f"引号没有闭合：第 {begin.line + 1} 行开始的引号一直延续到第 {line} 行"
                          "遇到下一个引号才结束")
        return _error(path, line, column, "yaml-syntax",
                      "引号后面还有文字：整段文字要全部放在引号里面（或者不加引号）")
    return _error(path, line, column, "yaml-syntax", _yaml_problem(exc))


def _check_characters(path: str, text: str) -> None:
    """Refuse a character YAML does not allow, or one that would shift every line number."""
    bad = _INVALID_CHAR.search(text)
    if not bad:
        return
    before = text[:bad.start()]
    breaks = list(_LINE_BREAK.finditer(before))
    line = len(breaks) + 1
    column = bad.start() - (breaks[-1].end() if breaks else 0) + 1
    char = bad.group()
    if char in "\x85\u2028\u2029":
        what = "特殊换行符（从网页、Word 等复制文字时常带进来）：请删除，或换成普通的回车换行"
    else:
        what = "不可见的控制字符（从网页、终端或其他软件复制文字时常带进来）：请删除"
    raise _error(path, line, column, "file-invalid-char", f"文件含有字符 U+{ord(char):04X}，是{what}")


def read_text(path: str, raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise _error(path, 1, 1, "file-too-large",
                     f"文件大小 {len(raw):,} 字节超过上限 {MAX_FILE_BYTES:,} 字节")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _error(path, 1, 1, "file-bom", "文件以 BOM 开头：请另存为“UTF-8（无 BOM）”编码")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # lines end as YAML ends them (\r\n, \r or \n); the column is in characters, like
        # every other column: the line up to the bad byte is valid UTF-8
        breaks = list(_BYTE_LINE_BREAK.finditer(raw, 0, exc.start))
        line = len(breaks) + 1
        column = len(raw[breaks[-1].end() if breaks else 0:exc.start].decode("utf-8")) + 1
        raise _error(path, line, column, "file-encoding",
                     f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节为 0x{raw[exc.start]:02X}）："
                     "请用 UTF-8 保存，不要用 GBK/GB2312") from None
    if not text.strip():
        raise _error(path, 1, 1, "file-empty", f"{NOT_BUDGET}文件为空（没有任何内容）")
    return text


def load_file(path: str) -> Document:
    """Load a budget from a file, or from git when `path` is "REV:path" (":path" = staged).

    A file that is no budget at all (a PDF, a picture, a Word document, a README.md) gets one
    finding saying so, instead of encoding or YAML advice that would only mislead."""
    raw = read_source(path)
    _refuse_other_files(path, raw)
    try:
        return load_text(path, read_text(path, raw))
    except BudgetError as exc:
        suffix = _suffix(path)
        if suffix in (".yaml", ".yml") or any(f.rule in _KEEP_FOR_OTHER_SUFFIXES
                                               for f in exc.findings):
            raise
        what = _SUFFIXES.get(suffix, f"{suffix} 文件" if suffix else "没有扩展名的文件")
        raise _error(path, 1, 1, "file-not-budget",
                     f"{NOT_BUDGET}{_name(path)} {_is(what)}，内容也不是 YAML 格式的预算。{EXAMPLE}"
                     ) from None


def _is(what: str) -> str:
    return f"是 {what}" if what[0].isascii() else f"是{what}"


def _name(path: str) -> str:
    return os.path.basename(path.rpartition(":")[2] if not os.path.exists(path) else path)


def _suffix(path: str) -> str:
    return os.path.splitext(_name(path))[1].lower()


def _refuse_other_files(path: str, raw: bytes) -> None:
    """A PDF, a picture, an office document, an archive or any binary file: one finding that
    says what it is.  A file saved as UTF-16 (Notepad's "Unicode") is a budget in the wrong
    encoding instead."""
    head = raw[:8192]
    what = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if what is None and head[:4] == _WEBP[0] and head[8:12] == _WEBP[1]:
        what = "WebP 图片"
    if what is None and _MARKUP.match(head):
        what = "网页或 XML 文件"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16(head):
        raise _error(path, 1, 1, "file-encoding",
                     "文件是 UTF-16 编码（记事本的“Unicode”）：请另存为“UTF-8（无 BOM）”")
    if what is None and _binary(head):
        what = "二进制文件（不是文本文件）"
    if what:
        raise _error(path, 1, 1, "file-not-budget", f"{NOT_BUDGET}{_name(path)} {_is(what)}。{EXAMPLE}")


def _utf16(head: bytes) -> bool:
    """UTF-16 without a byte order mark: a NUL byte beside every ASCII character, so nearly
    all NULs on the same side of their pair (a few CJK characters have one on the other)."""
    odd = sum(byte == 0 for byte in head[1::2])
    even = sum(byte == 0 for byte in head[::2])
    return (odd + even) * 5 > len(head) > 0 and max(odd, even) >= 9 * min(odd, even)


def _binary(head: bytes) -> bool:
    """More than 1 byte in 20 is a control character no text has (tab, line breaks, form feed
    and ESC aside): a stray NUL pasted into a budget is file-invalid-char, not this."""
    controls = sum(byte < 32 and byte not in (9, 10, 12, 13, 27) for byte in head)
    return controls * 20 > len(head)


_READ_PROBLEMS = {errno.ENOENT: "找不到这个文件", errno.EACCES: "没有读取权限",
                 errno.EPERM: "没有读取权限", errno.ELOOP: "符号链接循环指向自己",
                 errno.ENAMETOOLONG: "文件名或路径太长"}


def _read_file(path: str) -> bytes:
    """The bytes of a regular file. Opened without blocking and refused unless regular: a
    named pipe would wait for a writer forever, a device could give bytes without end."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        why = _READ_PROBLEMS.get(exc.errno, exc.strerror)
        raise _error(path, 1, 1, "file-unreadable", f"无法读取文件：{why}") from None
    mode = os.fstat(fd).st_mode  # before open(): it refuses a folder with its own error
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _error(path, 1, 1, "file-unreadable",
                     f"无法读取文件：{_name(path)} 是{kind_of(mode)}，不是普通文件。{EXAMPLE}")
    with open(fd, "rb") as f:
        try:
            return f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise _error(path, 1, 1, "file-unreadable", f"无法读取文件：{exc.strerror}") from None


def read_source(spec: str) -> bytes:
    """The bytes of a file, or of a file in a git revision ("main:budgets/x.yaml")."""
    if os.path.exists(spec) or ":" not in spec:
        return _read_file(spec)
    # the blob itself (":path" is the staged one); after --end-of-options, so that no spec
    # ("--output=x:y") is read as an option of git
    with subprocess.Popen(["git", "cat-file", "blob", "--end-of-options", spec],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as git:
        data = git.stdout.read(MAX_FILE_BYTES + 1)  # no more than a file would give
        if len(data) > MAX_FILE_BYTES:
            git.kill()
            return data  # read_text reports the size
        if git.wait():
            from .changes import why_unreadable
            raise _error(spec, 1, 1, "file-unreadable", f"无法从 git 读取：{why_unreadable(spec)}")
    return data


def load_text(path: str, text: str) -> Document:
    _check_characters(path, text)  # before the parser, which would stop without a location
    doc = Document(path, None)
    composer = None
    try:
        composer = _Composer(path, _Parser(text), doc.locations, _LINE_BREAK.split(text))
        doc.data = composer.compose_document()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, text, exc, composer and composer.last_scalar) from None
    except yaml.YAMLError as exc:  # reader errors carry no mark
        raise _error(path, 1, 1, "yaml-syntax", f"YAML 语法错误（{exc}）") from None
    if composer.findings:
        raise BudgetError(composer.findings + composer.warnings)
    if not isinstance(doc.data, dict):
        raise _error(path, 1, 1, "yaml-not-mapping", _not_mapping(doc.data))
    doc.warnings = composer.warnings
    return doc


def _excerpt(value, limit: int = 30) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + "……"


def _not_mapping(data) -> str:
    """What the file holds instead of the mapping a budget is, in words."""
    mapping = "预算文件的顶层是“键: 值”的映射，从 year: 2026 这样的行开始"
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        return ("文件的顶层必须是“键: 值”的映射，这里却是一个列表：顶层的键（year、status……）"
                "前面不要写“- ”")
    if isinstance(data, list):
        first = f"，第一项“{_excerpt(data[0])}”" if data else ""
        return f"{NOT_BUDGET}内容是一个列表（{len(data)} 项{first}）；{mapping}"
    if data is None:
        return f"{NOT_BUDGET}内容只是一个空值；{mapping}"
    return f"{NOT_BUDGET}内容是一段文字（“{_excerpt(data)}”）；{mapping}"


class _Composer:
    def __init__(self, path, parser, locations, lines=()):
        self.path = path
        self.parser = parser
        self.locations = locations
        self.lines = lines  # the file's lines, to see what follows a value on its line
        self.warnings: list[Finding] = []
        # anchor -> (value, node count, text length, height: how many levels it nests below)
        self.anchors: dict[str, tuple[object, int, int, int]] = {}
        self.nodes = 0
        self.chars = 0  # text composed so far, an alias counting the text it repeats
        self.aliased: list[tuple[int, object]] = []  # (values added by aliases so far, alias mark)
        self.deepest = 0  # the deepest level composed so far in the current node
        self.last_scalar = None  # the last scalar event, to locate an unclosed quote
        self.findings: list[Finding] = []

    def compose_document(self):
        self._expect(events.StreamStartEvent)
        if self.parser.check_event(events.StreamEndEvent):
            raise _error(self.path, 1, 1, "file-empty", f"{NOT_BUDGET}文件为空（只有注释和空行）")
        self._expect(events.DocumentStartEvent)
        value, _ = self._node((), 0)
        self._expect(events.DocumentEndEvent)
        self._check_aliases()
        if not self.parser.check_event(events.StreamEndEvent):
            ev = self.parser.peek_event()
            raise _error(self.path, ev.start_mark.line + 1, 1, "yaml-multiple-documents",
                         "一个文件只能有一个文档：请删除“---”分隔的第二部分")
        return value

    def _check_aliases(self):
        """Refuse aliases that add more values than the file writes (see ALIAS_SLACK), at the
        first alias past that bound."""
        added = self.aliased[-1][0] if self.aliased else 0
        written = self.nodes - added
        if added <= written + ALIAS_SLACK:
            return
        mark = next(mark for total, mark in self.aliased if total > written + ALIAS_SLACK)
        loc = _location(self.path, mark)
        raise _error(self.path, loc.line, loc.column, "yaml-too-large",
                     f"别名（*名称）展开后共增加 {added:,} 个值，超过文件本身写出的 {written:,} 个值："
                     "别名只宜用于重复一段文字或一组指标，不要用来成批复制项目或单位，请逐个写出")

    def _expect(self, kind):
        ev = self.parser.get_event()
        assert isinstance(ev, kind), ev  # libyaml guarantees the stream's shape
        return ev

    def _count(self, n, mark, chars=0):
        self.nodes += n
        self.chars += chars
        if self.nodes > MAX_NODES:
            loc = _location(self.path, mark)
            raise _error(self.path, loc.line, loc.column, "yaml-too-large",
                         f"超过 {MAX_NODES:,} 个值（别名按展开后计）：正常的预算远少于此，"
                         "可能是别名层层引用别名，或误粘贴了大量内容")
        if self.chars > MAX_TEXT_CHARS:  # a few aliases of a long text can weigh gigabytes
            loc = _location(self.path, mark)
            raise _error(self.path, loc.line, loc.column, "yaml-too-large",
                         f"文字总长超过 {MAX_TEXT_CHARS:,} 字（别名按展开后计）：正常的预算远少于此，"
                         "可能是用别名（*名称）大量重复了同一段文字")

    def _node(self, keys, depth) -> tuple[object, int]:
        """Compose the next node; return its value and how many nodes it holds."""
        ev = self.parser.get_event()
        if isinstance(ev, events.AliasEvent):
            if ev.anchor not in self.anchors:
                loc = _location(self.path, ev.start_mark)
                raise _error(self.path, loc.line, loc.column, "yaml-syntax",
                             f"引用了未定义的锚点 *{ev.anchor}")
            value, size, chars, height = self.anchors[ev.anchor]
            if depth + height > MAX_DEPTH:  # an alias of a nested value nests it again here
                loc = _location(self.path, ev.start_mark)
                raise _error(self.path, loc.line, loc.column, "yaml-too-deep",
                             f"嵌套超过 {MAX_DEPTH} 层（别名 *{ev.anchor} 的内容在此处又嵌套了 {height} 层）")
            self._count(size, ev.start_mark, chars)
            self.aliased.append(((self.aliased[-1][0] if self.aliased else 0) + size,
                                 ev.start_mark))
            self.deepest = max(self.deepest, depth + height)
            self.locations[keys] = _location(self.path, ev.start_mark)
            return value, size
        if depth > MAX_DEPTH:
            loc = _location(self.path, ev.start_mark)
            raise _error(self.path, loc.line, loc.column, "yaml-too-deep",
                         f"嵌套超过 {MAX_DEPTH} 层")
        if ev.tag is not None:
            self._tag(ev)
        self._count(1, ev.start_mark)
        self.locations[keys] = _location(self.path, ev.start_mark)
        outer, self.deepest, chars = self.deepest, depth, self.chars
        if isinstance(ev, events.ScalarEvent):
            value, size = self._scalar(ev), 1
        elif isinstance(ev, events.SequenceStartEvent):
            value, size = self._sequence(keys, depth)
        else:
            value, size = self._mapping(keys, depth, ev)
        height, self.deepest = self.deepest - depth, max(outer, self.deepest)
        if ev.anchor:
            self.anchors[ev.anchor] = (value, size, self.chars - chars, height)
        return value, size

    def _tag(self, ev):
        loc = _location(self.path, ev.start_mark)
        tag = "!!" + ev.tag[len("tag:yaml.org,2002:"):] if ev.tag.startswith("tag:yaml.org,2002:") \
            else ev.tag
        raise _error(self.path, loc.line, loc.column, "yaml-tag",
                     f"不支持 YAML 标签“{tag}”：值一律按写出的文字读取，请删去标签"
                     "（需要时给文字加引号）")

    def _text(self, ev) -> str:
        """The text of a scalar event (value or key), refused when too long or when a
        backslash escape put a character into it that the file itself may not contain."""
        self.last_scalar = ev
        if len(ev.value) > MAX_SCALAR_CHARS:
            loc = _location(self.path, ev.start_mark)
            raise _error(self.path, loc.line, loc.column, "text-too-long",
                         f"文字长度 {len(ev.value):,} 超过上限 {MAX_SCALAR_CHARS:,} 字")
        self._count(0, ev.start_mark, len(ev.value))
        bad = _UNPRINTABLE.search(ev.value)
        if bad:
            loc = _location(self.path, ev.start_mark)
            raise _error(self.path, loc.line, loc.column, "text-invalid-char",
                         f"文字中有不可见的控制字符 U+{ord(bad.group()):04X}（来自双引号内的“\\”转义）："
                         "请删除")
        return ev.value

    def _scalar(self, ev):
        text = self._text(ev)
        plain = not ev.style  # libyaml says "" for plain, the pure-Python parser None
        if plain and text in NULL_WORDS:
            return None
        if plain:
            self._comment_after(ev, text)
        return Scalar(text, plain)

    def _comment_after(self, ev, text: str) -> None:
        """A text cut short by " #": YAML reads a "#" after a space as the start of a comment,
        so `plan: 按月发放 #2号文件规定的标准` publishes only 按月发放.  Warned when the value is
        prose (it has a character beyond ASCII: not a number, code or English word) and ONE
        space separates it from the "#": a trailing comment is set off by two or more spaces
        (`authorized: 20          # 核定的人员编制数`), as in the examples, and a number or
        word like `status: draft # …` is never a sentence that goes on."""
        end = ev.end_mark
        if end.line >= len(self.lines) or text.isascii():
            return
        rest = self.lines[end.line][end.column:]
        if not rest.startswith(" #"):
            return
        comment = rest[1:].rstrip()
        loc = Location(self.path, end.line + 1, end.column + 2)
        self.warnings.append(Finding(loc, WARNING, "text-cut-by-comment",
                                     f"“{_excerpt(text, 20)}”后面的“{_excerpt(comment, 20)}”被当成注释去掉了"
                                     f"（空格后的“#”开始注释），公开文本只印到“{text[-10:]}”为止。"
                                     "如果它是文字的一部分，请给整段文字加双引号；"
                                     "如果是注释，请在“#”前面至少空两格"))

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
            if key_ev.tag is not None:
                self._tag(key_ev)
            key = self._text(key_ev)
            if key == "<<" and not key_ev.style:
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
