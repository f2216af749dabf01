"""The workbook of a disclosure's tables (generator/xlsx.py), read back with openpyxl: one
sheet per table laid out as printed, every derived figure in it as a number."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.check import check
from generator.grid import Cell, Grid, Row, grids
from generator.money import to_wan
from generator.render import render_html
from generator.xlsx import sheet_name, workbook

from conftest import JIAOYU_YAML, ROOT, SEED_YAML

BUDGETS = {"xinfang": SEED_YAML, "jiaoyu": JIAOYU_YAML,
           "putuo": ROOT / "budgets" / "2026" / "putuo-wenlv.yaml"}
TITLE = "泽州县信访局2026年部门预算"


@dataclass
class Made:
    derived: object
    grids: list[Grid]
    names: list[str]
    data: bytes
    book: object


@cache
def made(key: str) -> Made:
    """Each budget rendered and written once for the whole module."""
    budget, derived, findings = check(str(BUDGETS[key]), None)
    assert budget is not None, findings
    gs = grids(render_html(budget, derived))
    names = [derived.profile.label(g.number) for g in gs]
    data = workbook(gs, names, TITLE)
    return Made(derived, gs, names, data, load_workbook(BytesIO(data)))


def sheets(key: str):
    m = made(key)
    return [(g, m.derived.tables[g.number], m.book[name]) for g, name in zip(m.grids, m.names)]


def header_rows(ws) -> range:
    """The sheet's header rows (1-based), from the rows it repeats on every printed page."""
    first, last = re.fullmatch(r"\$(\d+):\$(\d+)", ws.print_title_rows).groups()
    return range(int(first), int(last) + 1)


def rng(r0: int, c0: int, r1: int, c1: int) -> str:
    """A1-style range of 1-based rows and 0-based columns."""
    return f"{get_column_letter(c0 + 1)}{r0}:{get_column_letter(c1 + 1)}{r1}"


@pytest.mark.parametrize("key", BUDGETS)
def test_one_sheet_per_table_titled_as_printed(key):
    m = made(key)
    numbers = sorted(m.derived.tables)
    assert m.book.sheetnames == [m.derived.profile.label(n) for n in numbers]
    assert [g.number for g in m.grids] == numbers
    for g, table, ws in sheets(key):
        head = header_rows(ws)
        title_row = head.start - 2
        assert ws.cell(title_row, 1).value == g.title
        assert table.title in g.title
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert rng(title_row, 0, title_row, len(g.columns) - 1) in merged
        assert ws.cell(1, 1).value == (g.above or g.title)
        meta = [ws.cell(title_row + 1, c).value for c in (1, len(g.columns))]
        assert meta == [g.meta[0], f"单位：{table.unit}"]
        notes = [ws.cell(ws.max_row - len(g.notes) + 1 + i, 1).value for i in range(len(g.notes))]
        assert notes == g.notes


@pytest.mark.parametrize("key", BUDGETS)
def test_header_merged_and_labelled_as_printed(key):
    for g, _, ws in sheets(key):
        head = header_rows(ws)
        assert len(head) == len(g.head)
        expected, texts = set(), {}
        for r, line in zip(head, g.placed(g.head)):
            for c, cell in line:
                texts[(r, c)] = cell.text
                if cell.colspan > 1 or cell.rowspan > 1:
                    expected.add(rng(r, c, r + cell.rowspan - 1, c + cell.colspan - 1))
        merged = {str(m) for m in ws.merged_cells.ranges if m.min_row in head}
        assert merged == expected, g.title
        assert {at: ws.cell(at[0], at[1] + 1).value for at in texts} == texts
        assert all(ws.cell(head.start, c + 1).font.b for c, _ in g.placed(g.head)[0])


@pytest.mark.parametrize("key", BUDGETS)
def test_every_derived_figure_is_in_its_sheet(key):
    """Each derived row is found, once, on a sheet row carrying its name(s), its code (when
    the table prints codes, split over columns or not) and every one of its figures: the
    printed 万元 (to_wan) or the exact 元, a number; None is an empty cell."""
    for g, table, ws in sheets(key):
        nums = [c for c, kind in enumerate(g.columns) if kind == "num"]
        codes = [c for c, kind in enumerate(g.columns) if kind in ("code", "code3")]
        body = range(header_rows(ws).stop, ws.max_row - len(g.notes) + 1)
        values = {r: [ws.cell(r, c + 1).value for c in range(len(g.columns))] for r in body}
        for r in body:
            assert all(isinstance(values[r][c], (int, float)) for c in nums
                       if values[r][c] is not None), (g.title, r)
            assert all(isinstance(values[r][c], str) for c in codes if values[r][c] is not None)

        def carries(r: int, row) -> bool:
            line = values[r]
            if not all(label in line for label in (row.name, row.name2) if label):
                return False
            printed = "".join(v for c in codes if isinstance(v := line[c], str) and v.isdigit())
            if codes and printed != row.code + row.code2:
                return False
            want = [None if v is None else to_wan(v) if table.unit == "万元" else v
                    for v in row.cells]
            got = [None if line[c] is None else Decimal(str(line[c])) for c in nums]
            return got == want

        assert len(nums) == len(table.rows[0].cells), g.title
        used: set[int] = set()
        for row in table.rows:
            r = next((r for r in body if r not in used and carries(r, row)), None)
            assert r is not None, (g.title, row)
            used.add(r)
        assert used == set(body), g.title  # and no sheet row left over


def test_codes_keep_their_leading_zeros():
    _, _, ws = sheets("putuo")[1]  # 表2: 类 / 款 / 项 in three columns
    assert [ws.cell(8, c).value for c in (1, 2, 3, 4)] == ["207", "01", "01", "行政运行"]
    _, _, ws = sheets("xinfang")[1]  # 表二: the 7-digit code in one column
    assert (ws["A9"].value, ws["B9"].value) == ("2010399", "其他政府办公厅（室）及相关机构事务支出")


def test_layout_of_name_and_total_cells():
    _, _, ws = sheets("xinfang")[1]  # 表二: 合计, then 201 / 20103 / 2010399
    assert ws["A6"].value == "合计" and "A6:B6" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A6"].font.b and ws["C6"].font.b  # the total row is bold
    assert [ws[f"B{r}"].alignment.indent for r in (7, 8, 9)] == [0, 1, 2]  # indent-N → N-1
    assert ws["B7"].font.b and not ws["B8"].font.b  # a 类 name bold, as printed
    assert ws["A6"].font.name == ws["B9"].font.name == ws["C9"].font.name == "宋体"
    widths = [ws.column_dimensions[c].width for c in "BCA"]  # name > figure > code
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == 3


def test_number_formats_show_what_is_printed():
    _, _, ws = sheets("xinfang")[1]  # 表二 (万元): 合计 542.97, then blank zeros
    assert (ws["C6"].value, ws["C6"].number_format) == (542.97, "0.00;-0.00;")
    assert (ws["E6"].value, ws["E6"].number_format) == (0, "0.00;-0.00;")  # zero: blank
    assert ws["C6"].alignment.horizontal == "right" and ws["C6"].border.left.style == "thin"
    _, _, ws = sheets("putuo")[1]  # 表2 (元): whole 元
    assert (ws["E6"].value, ws["E6"].number_format) == (199337712, "#,##0;-#,##0;")
    _, _, ws = sheets("putuo")[8]  # 表9 (万元) prints its zeros as “0”
    assert [(ws[a].value, ws[a].number_format) for a in ("A6", "B6")] == [
        (11.49, "0.00;-0.00;"), (0, '0.00;-0.00;"0"')]


def test_fen_and_a_printed_zero_decimal():
    """元 with fen get two places; a zero printed “0.00” keeps that text, other text is not
    a zero's."""
    grid = Grid(number=1, title="测试表", meta=["部门名称：某局", "单位：元"],
                columns=["code", "name", "num", "num", "num"],
                head=[Row([Cell("科目编码", header=True), Cell("科目名称", header=True),
                           Cell("金额", colspan=3, header=True)])],
                body=[Row([Cell("2010301", classes=("code",)),
                           Cell("行政运行", header=True, classes=("name", "indent-3")),
                           Cell("1,234.50", yuan=Decimal("1234.5"), classes=("num",)),
                           Cell("0.00", yuan=Decimal(0), classes=("num",)),
                           # a redline's cell: the new zero, the old figure, the change
                           Cell("1.00-10,000", yuan=Decimal(0), classes=("num",))],
                          ("item", "level-3"))])
    ws = load_workbook(BytesIO(workbook([grid], ["表/1?"], "测试")))["表_1_"]
    assert (ws["A4"].value, ws["B4"].alignment.indent) == ("2010301", 2)
    assert (ws["C4"].value, ws["C4"].number_format) == (1234.5, "#,##0.00;-#,##0.00;")
    assert (ws["D4"].value, ws["D4"].number_format) == (0, '#,##0;-#,##0;"0.00"')
    assert (ws["E4"].value, ws["E4"].number_format) == (0, "#,##0;-#,##0;")
    assert "C3:E3" in {str(r) for r in ws.merged_cells.ranges}


@pytest.mark.parametrize("key", BUDGETS)
def test_page_setup(key):
    for g, _, ws in sheets(key):
        head = header_rows(ws)
        assert ws.freeze_panes == f"A{head.stop}"  # below the last header row
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if g.landscape else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_options.horizontalCentered
        assert "&P" in ws.oddFooter.center.text
    landscape = {ws.title for g, _, ws in sheets("xinfang") if g.landscape}
    assert {"表一", "表四"} <= landscape and "表三" not in landscape


def test_reproducible_bytes():
    m = made("xinfang")
    assert workbook(m.grids, m.names, TITLE) == m.data
    with zipfile.ZipFile(BytesIO(m.data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert ">1980-01-01T00:00:00Z</dcterms:created>" in core
    assert f"<dc:title>{TITLE}</dc:title>" in core


def test_sheet_names_valid_and_unique():
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ("表[1]:*?/\\", "表一", "表一", "'x'", "长" * 40)]
    assert names[:4] == ["表_1______", "表一", "表一(2)", "x"]
    assert names[4] == "长" * 31
    assert sheet_name("长" * 40, used) == "长" * 28 + "(2)"
