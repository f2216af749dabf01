"""The printed pages, measured from the PDF as a reader turns them (pypdf): each 绩效目标表 on
one page, contents that list every numbered heading and fit their page, no stranded page."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from io import BytesIO

import pytest
from pypdf import PdfReader

from generator.check import check
from generator.pdf import write_pdf
from generator.render import render_html

from conftest import JIAOYU_YAML, SEED_YAML

FORM_TITLE = "项目支出绩效目标表"
# the fewest lines of text a page other than the cover may hold: a table of its own (an
# empty 表七 prints its title, unit, headers, 合计 and its note: 8 lines) is more than this
FEW_LINES = 6


@cache
def pdf(path) -> PdfReader:
    """The budget's PDF, built once for all the tests here."""
    budget, derived, found = check(str(path))
    assert budget is not None, found
    return PdfReader(BytesIO(write_pdf(render_html(budget, derived))))


@cache
def pages(path) -> list[str]:
    return [page.extract_text() for page in pdf(path).pages]


@pytest.mark.parametrize("path, forms", [(SEED_YAML, 6), (JIAOYU_YAML, 9)], ids=["xinfang", "jiaoyu"])
def test_each_project_form_takes_one_page(path, forms):
    texts = pages(path)
    starts = [i for i, text in enumerate(texts) if FORM_TITLE in text.splitlines()[0]]
    assert len(starts) == forms
    for i in starts:  # the sign-off line, the form's last row, is on the page the form starts
        assert "填报日期" in texts[i], f"page {i + 1}: the form continues on the next page"


def test_the_seed_is_shorter_with_nothing_removed():
    texts = pages(SEED_YAML)
    assert len(texts) <= 31  # 36 pages before the forms and tables were laid out as forms
    whole = "".join(texts)
    for number in range(1, 14):
        assert f"预算公开表{number}" in whole
    assert whole.count(FORM_TITLE) == 6 and "整体支出绩效目标申报表" in whole


@pytest.mark.parametrize("path", [SEED_YAML, JIAOYU_YAML], ids=["xinfang", "jiaoyu"])
def test_contents_fit_one_page_and_list_every_numbered_heading(path):
    texts = pages(path)
    contents = [t for t in texts if "目 　 录" in t or "目　录" in t]
    assert len(contents) == 1  # on one page: no near-empty second page
    toc = contents[0]
    # the sub-headings of 五, 十, 十一 and 十二 (十二's （一）（二） as in the seed), each with its page
    for heading in ("（一）一般公共预算当年支出规模变化情况", "1、整体绩效目标", "2、房屋情况",
                    "（一）政府购买服务指导性目录", "（二）其他"):
        line = next((l for l in toc.splitlines() if l.startswith(heading)), None)
        assert line and re.search(r"\d+$", line), heading
    assert "第四部分 名词解释" in toc


@pytest.mark.parametrize("path", [SEED_YAML, JIAOYU_YAML], ids=["xinfang", "jiaoyu"])
def test_no_page_is_stranded(path):
    """No page holds only a table's last rows, a sign-off line or a heading: every page but
    the cover has more than a handful of lines, and a continued table's page starts with
    its repeated headers and several rows."""
    texts = pages(path)
    for number, text in enumerate(texts[1:], 2):
        lines = [l for l in text.splitlines() if l.strip() and not re.fullmatch(r"— \d+ —", l)]
        assert len(lines) > FEW_LINES, f"page {number}: {lines}"
        assert not lines[0].startswith("负责人"), f"page {number} starts with a sign-off line"


def elements(reader: PdfReader):
    """Every structure element of the tagged PDF (its StructTreeRoot), depth first."""
    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            if "/S" in node:
                yield node
            if "/K" in node:
                yield from walk(node["/K"])
    return walk(reader.trailer["/Root"]["/StructTreeRoot"])


def structure(reader: PdfReader) -> Counter:
    """How many structure elements of each type the tagged PDF has."""
    return Counter(str(e["/S"])[1:] for e in elements(reader))


def test_the_pdf_is_tagged_for_screen_readers():
    """PDF/UA-1: marked as tagged, declared PDF/UA in its metadata, its language and title shown,
    and a structure tree in which the 13 tables have header cells and the parts their headings."""
    reader = pdf(SEED_YAML)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a pypdf BooleanObject
    assert str(root["/Lang"]) == "zh-CN" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8")
    found = structure(reader)
    assert found["Table"] >= 13 + 1 + 6  # the 13 tables, the department form, the 6 project forms
    assert found["TH"] > 500 and found["TD"] > 1000 and found["TR"] > 400
    assert found["H1"] >= 5 and found["H2"] >= 13 + 12  # parts; tables and sections
    assert found["Figure"] == 1  # the chart


def fonts_of(page) -> set[str]:
    """The faces a page's text is set in: Sans or Serif (the pinned Noto CJK fonts)."""
    faces = set()

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            name = str(font.get("/BaseFont", ""))
            faces.add("Serif" if "Serif" in name else "Sans" if "Sans" in name else name)
    page.extract_text(visitor_text=visit)
    return faces


def test_tables_are_set_in_one_face_and_running_text_in_the_other():
    """Every cell of every table (names, header cells, figures; 表六's 政府经济科目 column was
    serif beside the sans 部门 column) in the sans face; the text of 第三部分 in the serif face."""
    reader = pdf(SEED_YAML)
    for page in reader.pages:
        text = page.extract_text()
        if re.search(r"预算公开表\d+", text.splitlines()[0]) or FORM_TITLE in text:
            assert fonts_of(page) == {"Sans"}, text.splitlines()[0]
    part3 = next(p for p in reader.pages if p.extract_text().startswith("第三部分"))
    assert fonts_of(part3) == {"Sans", "Serif"}  # headings sans, sentences serif


def test_a_form_that_continues_repeats_its_column_headers():
    """The department's form (some 30 indicators) takes two pages: the second starts with the
    indicator columns' headers again, not with a bare row."""
    texts = pages(SEED_YAML)
    start = next(i for i, t in enumerate(texts) if "整体支出绩效目标申报表" in t.splitlines()[0])
    following = texts[start + 1].splitlines()
    assert following[0].split() == ["一级指标", "二级指标", "三级指标", "指标值"]


def test_the_chart_has_a_text_alternative():
    """The chart's Figure carries /Alt (from the SVG's <title>): its bars in words."""
    alts = [str(e.get("/Alt", "")) for e in elements(pdf(SEED_YAML)) if e["/S"] == "/Figure"]
    assert alts == ["一般公共预算当年拨款结构图：一般公共服务支出444.64万元，占81.89%；社会保障和就业支出"
                    "56.96万元，占10.49%；住房保障支出22.94万元，占4.22%；卫生健康支出18.43万元，占3.39%。"]


def test_every_forms_indicators_carry_headers_to_repeat():
    """Each 绩效目标表's indicators are a table of their own whose column headers are a <thead>
    (printed again on a continuation page), joined to the rest of the form."""
    budget, derived, _ = check(str(SEED_YAML))
    html = render_html(budget, derived)
    forms = re.findall(r'<section id="(?:project-\d+|performance-department)".*?</section>', html, re.S)
    assert len(forms) == 7
    for form in forms:
        tables = re.findall(r"<table[^>]*>.*?</table>", form, re.S)
        assert len(tables) == 2 and "perf-table-continued" in tables[1]
        head = re.search(r"<thead>(.*?)</thead>", tables[1], re.S).group(1)
        assert "一级指标" in head and "二级指标" in head and "三级指标" in head and "指标值" in head
        assert "负责人" not in form or "负责人" in tables[1]  # the sign-off stays with them
