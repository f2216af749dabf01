"""The disclosure's tables as grids of cells, read back from its own HTML.

The spreadsheets and the open data must show each table as printed: the same title, the same
header cells merged the same way, rows in printed order, whatever the profile. Rather than
describe every profile's layouts a second time, we read the rendered HTML of the tables (our
own markup: <section class="table-section">, <thead>, <tbody>, colspan/rowspan) into grids;
each figure's exact value in 元 comes with it (the cell macro writes it as data-yuan), so
nothing is read back from rounded text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str = ""  # as printed (a figure: rounded to the table's unit)
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a <th>: a column's or a row's label
    yuan: Decimal | None = None  # a figure's exact value in 元
    classes: tuple[str, ...] = ()

    @property
    def figure(self) -> bool:
        return self.yuan is not None


@dataclass
class Row:
    cells: list[Cell]
    classes: tuple[str, ...] = ()


@dataclass
class Grid:
    """One table as printed."""
    number: int
    above: str = ""  # the line over the title: 预算公开表1 (Shanxi), 表1 (Ministry of Finance)
    title: str = ""  # 2026年预算收支总表
    meta: list[str] = field(default_factory=list)  # 部门名称：…, 单位：万元
    columns: list[str] = field(default_factory=list)  # each column's kind: code, name, num …
    head: list[Row] = field(default_factory=list)
    body: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # 注：本表无数据 …
    landscape: bool = False

    @property
    def unit(self) -> str:
        """The unit the table prints its figures in (万元 or 元), from its 单位： line."""
        return next((m.split("：", 1)[1] for m in self.meta if m.startswith("单位：")), "万元")

    @property
    def width(self) -> int:
        return len(self.columns) or max((sum(c.colspan for c in r.cells)
                                         for r in self.head + self.body), default=0)

    def placed(self, rows: list[Row]) -> list[list[tuple[int, Cell]]]:
        """Each row's cells with the column each starts in, as a browser places them: a cell
        spanning rows from above takes its columns in the rows below."""
        taken: dict[tuple[int, int], bool] = {}
        placed = []
        for r, row in enumerate(rows):
            column, line = 0, []
            for cell in row.cells:
                while taken.get((r, column)):
                    column += 1
                line.append((column, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken[(r + dr, column + dc)] = True
                column += cell.colspan
            placed.append(line)
        return placed

    def column_labels(self) -> list[str]:
        """One label per column: the header cells over it, top to bottom, joined by “/”
        (收入/项目, 2026年预算数/合计); the column-number row (1, 2, 3 …) left out."""
        parts: list[list[str]] = [[] for _ in range(self.width)]
        for row, line in zip(self.head, self.placed(self.head)):
            if "colnos" in row.classes:
                continue
            for column, cell in line:
                for c in range(column, min(column + cell.colspan, self.width)):
                    if cell.text and cell.text not in parts[c]:
                        parts[c].append(cell.text)
        return ["/".join(p) for p in parts]


_BREAK = "\0"  # where a <br> was (HTML text holds no NUL: the loader refuses control characters)


class _Reader(HTMLParser):
    """Collects the grids of every <section class="table-section"> of a disclosure."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.grids: list[Grid] = []
        self.grid: Grid | None = None
        self.part = ""  # thead or tbody
        self.text: list[str] | None = None  # the text being collected, and where it goes
        self.target = None
        self.cell: Cell | None = None
        self.in_meta = False  # inside <div class="table-meta">

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = tuple((attrs.get("class") or "").split())
        if tag == "section" and "table-section" in classes:
            number = int((attrs.get("id") or "").removeprefix("table-").removesuffix("-section"))
            self.grid = Grid(number=number, landscape="landscape" in classes)
        if self.grid is None:
            return
        if tag == "col":
            self.grid.columns.append(next((c.removeprefix("col-").removesuffix("-col")
                                           for c in classes), ""))
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr":
            (self.grid.head if self.part == "thead" else self.grid.body).append(Row([], classes))
        elif tag in ("td", "th"):
            rows = self.grid.head if self.part == "thead" else self.grid.body
            yuan = attrs.get("data-yuan")
            self.cell = Cell(colspan=int(attrs.get("colspan") or 1),
                             rowspan=int(attrs.get("rowspan") or 1), header=tag == "th",
                             yuan=Decimal(yuan) if yuan is not None else None, classes=classes)
            rows[-1].cells.append(self.cell)
            self._collect("cell")
        elif tag == "br" and self.text is not None:
            self.text.append(_BREAK)
        elif tag == "h2" and "table-title" in classes:
            self._collect("title")
        elif tag == "p" and "table-number" in classes:
            self._collect("above")
        elif tag == "div" and "table-meta" in classes:
            self.in_meta = True
        elif tag == "span" and self.in_meta and self.target is None:
            self._collect("meta")
        elif tag == "p" and self.target is None and not self.part:
            self._collect("note")  # a paragraph under the table: 注：本表无数据

    def _collect(self, target: str) -> None:
        self.text, self.target = [], target

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if self.grid is None:
            return
        if self.text is not None and (tag in ("td", "th") and self.target == "cell"
                                      or tag == "h2" and self.target == "title"
                                      or tag == "p" and self.target in ("above", "note")
                                      or tag == "span" and self.target == "meta"):
            # white space as a browser shows it (a run of it, line breaks too, is one space;
            # none at the ends), a <br> as a line break
            text = "\n".join(" ".join(line.split()) for line in "".join(self.text).split(_BREAK))
            text = text.strip()
            if self.target == "cell":
                self.cell.text = text
            elif self.target == "meta":
                self.grid.meta.append(text)
            elif self.target == "note":
                self.grid.notes.append(text)
            else:
                setattr(self.grid, self.target, text)
            self.text = self.target = None
        elif tag in ("thead", "tbody"):
            self.part = ""
        elif tag == "div":
            self.in_meta = False  # (no <div> inside the meta line)
        elif tag == "section":
            self.grids.append(self.grid)
            self.grid = None


def grids(html: str) -> list[Grid]:
    """The tables of a rendered disclosure (render.render_html), in printed order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.grids
