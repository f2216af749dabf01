"""The rendered disclosure, read as a reader and a publisher would: figures, text, PDF."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader

from generator.build import build_one
from generator.check import check
from generator.pdf import PdfError, write_pdf
from generator.render import render_html

from conftest import JIAOYU_YAML, ROOT, SEED_YAML, edit, seed_text, write

SEED = ROOT.parent / "shared" / "seed" / "000_0bcec4dda379f9a4.txt"  # shared/ lies beside the clone
FIGURE = re.compile(r"\d+\.\d{2}%?")

# The seed's tables in order, each found by its title; 表十二/十三 by the last two.
SEED_TITLES = ["预算收支总表", "预算收入总表", "预算支出总表", "财政拨款收支总表",
               "一般公共预算支出预算表（不含上年结转）", "一般公共预算安排基本支出分经济科目表（不含上年结转）",
               "政府性基金预算收入表（不含上年结转）", "政府性基金预算支出表（不含上年结转）",
               "国有资本经营预算收支预算表（不含上年结转）", "财政拨款安排“三公”经费支出预算表",
               "财政拨款安排机关运行经费预算表", "项目支出预算表（本年预算）", "项目支出预算表（上年结转）"]


def seed_text_of_tables() -> dict[int, str]:
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("第二部分 2026年部门预算报表\n\n预算公开表1"):text.index("第三部分 2026年度部门预算情况说明\n")]
    starts = [body.index(f"\n2026年{title}\n") for title in SEED_TITLES]
    ends = starts[1:] + [len(body)]
    return {n: body[s:e] for n, (s, e) in enumerate(zip(starts, ends), 1)}


def seed_part3() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("第三部分 2026年度部门预算情况说明\n"):text.index("第四部分 名词解释\n\n一、")]


class _TableText(HTMLParser):
    """The text of each <table id="table-N">, and of the element with id part3."""

    def __init__(self):
        super().__init__()
        self.tables: dict[int, list[str]] = {}
        self.part3: list[str] = []
        self._stack: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id") or ""
        parent = self._stack[-1] if self._stack else None
        if tag in ("br", "meta", "img", "rect", "link"):
            return
        self._stack.append(ident if re.fullmatch(r"table-\d+|part3", ident) else parent)

    def handle_endtag(self, tag):
        if tag not in ("br", "meta", "img", "rect", "link") and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        owner = self._stack[-1] if self._stack else None
        if owner == "part3":
            self.part3.append(data)
        elif owner:
            self.tables.setdefault(int(owner.split("-")[1]), []).append(data)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    ok, message = build_one(str(SEED_YAML), out, ["html", "pdf"])
    assert ok, message
    html = (out / "2026" / "zezhou-xinfang.html").read_text(encoding="utf-8")
    pdf = (out / "2026" / "zezhou-xinfang.pdf").read_bytes()
    parsed = _TableText()
    parsed.feed(html)
    return html, pdf, parsed


def test_each_table_holds_exactly_the_seeds_figures(seed_build):
    _, _, parsed = seed_build
    for n, text in seed_text_of_tables().items():
        expected = Counter(FIGURE.findall(text))
        found = Counter(FIGURE.findall(" ".join(parsed.tables.get(n, []))))
        assert found == expected, f"表{n}: missing {expected - found}, extra {found - expected}"


def test_every_table_has_its_anchor_and_empty_tables_say_so(seed_build):
    html, _, _ = seed_build
    for n in range(1, 14):
        assert f'<table id="table-{n}"' in html
    for n in (7, 8, 9, 10):
        section = html[html.index(f'id="table-{n}-section"'):]
        section = section[:section.index("</section>")]
        assert "注：本表无数据" in section
    assert html.count("注：本表无数据") == 4


def test_narrative_holds_every_figure_and_percentage_of_the_seed(seed_build):
    _, _, parsed = seed_build
    ours = " ".join(parsed.part3)
    for figure in sorted(set(FIGURE.findall(seed_part3()))):
        assert figure in ours, f"第三部分 lacks {figure}"
    for amount in ("90,000", "84,000", "130,000", "450,000", "1,440,000", "34,512"):
        assert amount in ours, f"绩效目标表 lacks {amount}"


def test_narrative_does_not_repeat_the_seeds_slips(seed_build):
    _, _, parsed = seed_build
    ours = "".join(parsed.part3)
    assert "本部门2025年机关运行经费" not in ours
    assert "本部门2026年机关运行经费" in ours
    assert "一般公共预算支出444.64" not in ours
    assert "。；" not in ours


def test_pdf_text_holds_the_figures_and_no_glyph_is_missing(seed_build):
    _, pdf, _ = seed_build
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "\ufffd" not in text
    for n, table in seed_text_of_tables().items():
        for figure in set(FIGURE.findall(table)):
            assert figure in text, f"PDF lacks {figure} of 表{n}"
    for figure in set(FIGURE.findall(seed_part3())):
        assert figure in text, f"PDF lacks {figure} of 第三部分"
    for words in ("泽州县信访局", "2026年度部门预算公开", "仅供内部审核", "第四部分 名词解释"):
        assert words in text


def test_pdf_embeds_only_the_pinned_simplified_chinese_fonts(seed_build):
    _, pdf, _ = seed_build
    reader = PdfReader(BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile3" in descendant["/FontDescriptor"] or "/FontFile2" in descendant["/FontDescriptor"]
            fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/")))
    # Budget Serif/Sans: the faces extracted into build/fonts (generator.pdf), and nothing else,
    # not even the system's copy of the same Noto fonts (the chart's SVG text included)
    assert fonts == {"Budget-Serif", "Budget-Serif-Bold", "Budget-Sans", "Budget-Sans-Bold"}, fonts


def test_pdf_metadata_outline_and_pages(seed_build):
    _, pdf, _ = seed_build
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title == "泽州县信访局2026年度部门预算公开"
    assert reader.metadata.author == "泽州县信访局"
    assert str(reader.trailer["/Root"].get("/Lang")) == "zh-CN"
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(reader.outline)
    for part in ("第一部分 概况", "第二部分 2026年部门预算报表", "第四部分 名词解释"):
        assert part in titles
    assert sum(t.startswith("2026年") and t.endswith("表") or "表（" in t for t in titles) >= 13
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes <= {(595, 842), (842, 595)}  # A4, portrait or landscape


def test_draft_marks_every_page_and_final_marks_none(tmp_path):
    final = write(tmp_path, edit(seed_text(), "status: draft", "status: final"))
    budget, derived, found = check(final)
    assert budget is not None, found
    html = render_html(budget, derived)
    assert "仅供内部审核" not in html
    reader = PdfReader(BytesIO(write_pdf(html)))
    assert all("仅供内部审核" not in page.extract_text() for page in reader.pages)


def test_draft_watermark_on_every_pdf_page(seed_build):
    _, pdf, _ = seed_build
    reader = PdfReader(BytesIO(pdf))
    assert all("仅供内部审核" in page.extract_text() for page in reader.pages)


def test_synthetic_budget_fills_tables_seven_to_ten():
    budget, derived, found = check(str(JIAOYU_YAML))
    assert budget is not None, found
    parsed = _TableText()
    parsed.feed(render_html(budget, derived))
    for n in (7, 8, 10, 11, 12, 13):
        assert FIGURE.findall(" ".join(parsed.tables[n])), f"表{n} is empty"


def test_text_from_the_budget_is_escaped(tmp_path):
    text = edit(seed_text(), "name: 遗属补助", 'name: "遗属补助<script>alert(1)</script>&amp;"')
    budget, derived, found = check(write(tmp_path, text))
    assert budget is not None, found
    html = render_html(budget, derived)
    assert "<script>" not in html
    assert "遗属补助&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" in html
    assert "script-src" not in html and "default-src 'none'" in html  # CSP: no scripts


@pytest.mark.parametrize("reference", ['<img src="file:///etc/passwd">',
                                       '<img src="http://example.invalid/x.png">',
                                       '<link rel="stylesheet" href="file:///etc/hostname">'])
def test_pdf_refuses_anything_outside_the_projects_fonts(reference):
    budget, derived, _ = check(str(SEED_YAML))
    html = render_html(budget, derived).replace("</body>", reference + "</body>")
    with pytest.raises(PdfError, match="拒绝加载外部资源"):
        write_pdf(html)


def test_two_builds_are_byte_identical(tmp_path, seed_build):
    html, pdf, _ = seed_build
    ok, message = build_one(str(SEED_YAML), tmp_path, ["html", "pdf"])
    assert ok, message
    assert (tmp_path / "2026" / "zezhou-xinfang.html").read_text(encoding="utf-8") == html
    assert (tmp_path / "2026" / "zezhou-xinfang.pdf").read_bytes() == pdf


def test_a_budget_with_errors_is_not_built_and_the_old_output_stays(tmp_path):
    good = write(tmp_path, seed_text(), "2026/x.yaml")
    out = tmp_path / "out"
    assert build_one(good, out, ["html"])[0]
    before = (out / "2026" / "x.html").read_bytes()
    write(tmp_path, edit(seed_text(), '"30101 基本工资": 919190', '"30101 基本工资": 919290'), "2026/x.yaml")
    ok, message = build_one(good, out, ["html"])
    assert not ok and "basic-function-economic" in message
    assert (out / "2026" / "x.html").read_bytes() == before
    assert [p.name for p in (out / "2026").iterdir()] == ["x.html"]  # no partial files


def test_a_carry_over_of_unit_funds_gets_its_own_column_in_table_13(tmp_path):
    text = edit(seed_text(), "funding: {一般公共预算: 2600}", "funding: {一般公共预算: 2600, 单位资金: 1000}")
    budget, derived, found = check(write(tmp_path, text))
    assert budget is not None, found
    table = derived.tables[13]
    assert table.columns == ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "单位资金"]
    for row in table.rows:
        assert row.cells[0] == sum(row.cells[1:])
    html = render_html(budget, derived)
    section = html[html.index('id="table-13-section"'):]
    assert '<th scope="col" rowspan="2">单位资金</th>' in section[:section.index("</thead>")]
