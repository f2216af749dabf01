"""The disclosure's tables as one Excel workbook, each sheet laid out as the printed form.

Each table (a generator.grid.Grid, read back from the rendered HTML) becomes a worksheet: the
line over the title, the title, the 部门/单位 line, the header with the printed merges, the
rows, the notes. Figures are numbers, not text: in a 万元 table the printed rounded value, so
the sheet shows exactly the document's figures (the exact 元 are in the open data); in a 元
table the exact value. A number format per table repeats what the document prints for zero.

XlsxWriter rather than openpyxl: we only write, and XlsxWriter's bytes are reproducible (fixed
zip entry times, the creation date we give it), where openpyxl stamps the current time.
"""
from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from math import ceil

import xlsxwriter

from .grid import Cell, Grid
from .money import to_wan

# The same date as XlsxWriter's zip entries: a build of the same budget gives the same bytes.
CREATED = datetime(1980, 1, 1)
FONT = "宋体"  # the face of Chinese government forms; every format names it
WIDTHS = {"code": 10, "code3": 5, "name": 34, "num": 14}  # Excel character units
LINE = 14  # points per line of 10-point text

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ZERO = re.compile(r"0(\.0+)?")  # how a table may print a zero figure


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique (Excel ignores case) sheet name: ≤31 characters, none of []:*?/\\."""
    base = _BAD_SHEET_CHARS.sub("_", name)[:31].strip("'") or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:31 - len(str(n)) - 2]}({n})"
    used.add(candidate.lower())
    return candidate


def _text_width(text: str) -> float:
    """Width in Excel character units: a Chinese character is about two digits wide."""
    return sum(2 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a cell `width` units wide (Excel will not tell)."""
    usable = max(width - 1.5, 1)  # the cell's padding
    return sum(max(1, ceil(_text_width(part) / usable)) for part in text.split("\n"))


def _number_format(unit: str, yuan, zero_text: str) -> str:
    """万元: 0.00; 元: #,##0, or #,##0.00 when the value has fen. The third section is what
    the document prints for zero (blank, “0” or “0.00”), so a zero is a number yet reads
    as printed."""
    if unit == "万元":
        positive = "0.00"
    else:
        positive = "#,##0" if yuan == yuan.to_integral_value() else "#,##0.00"
    zero = f'"{zero_text}"' if zero_text else ""
    return f"{positive};-{positive};{zero}"


class _Formats:
    """One Format per distinct set of properties (the workbook keeps one style each)."""

    def __init__(self, book):
        self.book, self.made = book, {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format({"font_name": FONT, "font_size": 10,
                                                   "valign": "vcenter", **props})
        return self.made[key]


def _sheet(ws, grid: Grid, fmt: _Formats) -> None:
    columns = grid.columns or ["name"] * grid.width
    width = len(columns)
    widths = [WIDTHS.get(kind, WIDTHS["num"]) for kind in columns]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last = width - 1

    def text_line(r: int, c0: int, c1: int, text: str, style) -> None:
        """Text over the table (or under it) across columns c0…c1: merged, so it can wrap."""
        if c1 > c0:
            ws.merge_range(r, c0, r, c1, text, style)
        else:
            ws.write_string(r, c0, text, style)

    row = 0
    if grid.above:
        ws.write_string(row, 0, grid.above, fmt())
        row += 1
    text_line(row, 0, last, grid.title,
              fmt(bold=True, font_size=16, align="center", text_wrap=True))
    ws.set_row(row, 24 * _lines(grid.title, sum(widths) / 1.6))  # 16-point text: 1.6× as wide
    row += 1
    # the meta line: 部门名称 at the left, 单位 at the right, as printed
    unit = [m for m in grid.meta if m.startswith("单位：")] if width > 1 else []
    text_line(row, 0, last - 1 if unit else last,
              "　".join(m for m in grid.meta if m not in unit), fmt(align="left"))
    if unit:
        ws.write_string(row, last, unit[0], fmt(align="right"))
    row += 1

    def put(r: int, c: int, cell: Cell, style, number=None) -> None:
        """A cell at its printed place, merged over the cells it spans."""
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_range(r, c, r + cell.rowspan - 1, c + cell.colspan - 1, "", style)
        if number is not None:
            ws.write_number(r, c, number, style)
        elif cell.text:
            ws.write_string(r, c, cell.text, style)  # never a number: codes keep their zeros
        else:
            ws.write_blank(r, c, None, style)

    def height(r: int, line) -> None:
        """Tall enough for the row's wrapped text (cells spanning rows left to the others)."""
        lines = [_lines(cell.text, sum(widths[c:c + cell.colspan]))
                 for c, cell in line if cell.rowspan == 1 and cell.text and not cell.figure]
        ws.set_row(r, max(18, LINE * max(lines, default=1) + 4))

    header_start = row
    for r, (hrow, line) in enumerate(zip(grid.head, grid.placed(grid.head)), header_start):
        # the printed header: bold on a light shade; its row of column numbers (1 2 3 …) plain
        shade = {} if "colnos" in hrow.classes else {"bold": True, "bg_color": "#F3F1EC"}
        style = fmt(align="center", text_wrap=True, border=1, **shade)
        for c, cell in line:
            put(r, c, cell, style)
        height(r, line)
    row = header_start + len(grid.head)
    header_end = row - 1

    for r, (brow, line) in enumerate(zip(grid.body, grid.placed(grid.body)), row):
        total = "total" in brow.classes or "level-0" in brow.classes  # printed bold
        for c, cell in line:
            props = {"border": 1, "bold": total}
            if cell.figure:
                number = to_wan(cell.yuan) if grid.unit == "万元" else cell.yuan
                # the zero the document prints ("", "0", "0.00"); other text (a redline's
                # old figure and change, read into the same cell) is not a zero's
                zero_text = cell.text if _ZERO.fullmatch(cell.text) else ""
                props.update(align="right",
                             num_format=_number_format(grid.unit, cell.yuan, zero_text))
                number = int(number) if number == number.to_integral_value() else float(number)
                put(r, c, cell, fmt(**props), number)
                continue
            if "num" in cell.classes:  # a figure column with no figure: blank, right-aligned
                props["align"] = "right"
            elif "total-label" in cell.classes:
                props["align"] = "center"
            else:
                props.update(align="left", text_wrap=True)
                level = next((int(k[7:]) for k in cell.classes if k.startswith("indent-")), 0)
                if level > 1:
                    props["indent"] = level - 1
                if "level-1" in brow.classes and "name" in cell.classes:
                    props["bold"] = True  # the 类 names are bold in print
            put(r, c, cell, fmt(**props))
        height(r, line)
    row += len(grid.body)

    for note in grid.notes:  # under the table, across its width
        text_line(row, 0, last, note, fmt(align="left", text_wrap=True))
        ws.set_row(row, max(18, LINE * _lines(note, sum(widths)) + 4))
        row += 1

    ws.freeze_panes(header_end + 1, 0)
    ws.set_paper(9)  # A4
    if grid.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as the rows need
    if grid.head:
        ws.repeat_rows(header_start, header_end)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer(f'&C&"{FONT},Regular"&9第 &P 页，共 &N 页')


def workbook(grids: list[Grid], sheet_names: list[str], title: str,
             created: datetime = CREATED) -> bytes:
    """One .xlsx of the tables, a sheet each named by `sheet_names` (表一 …), in order."""
    assert len(grids) == len(sheet_names), "one sheet name per table"
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": title, "created": created})
    fmt, used = _Formats(book), set()
    for grid, name in zip(grids, sheet_names):
        _sheet(book.add_worksheet(sheet_name(name, used)), grid, fmt)
    book.close()
    return out.getvalue()
