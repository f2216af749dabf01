"""The rendered disclosure, read as a reader and a publisher would: figures, text, PDF."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from io import BytesIO

import pytest
import yaml
from pypdf import PdfReader

from generator.build import build_one
from generator.check import check
from generator.pdf import PdfError, write_pdf
from generator.render import render_html

from conftest import JIAOYU_YAML, ROOT, SEED_YAML, edit, seed_text, write

# The figures the published disclosure prints, typed from it; how to read it: its header.
PUBLISHED = ROOT / "tests" / "data" / "seed_published.yaml"
FIGURE = re.compile(r"\d+\.\d{2}%?")  # 万元 with 2 places, or a percentage


@cache
def published() -> dict:
    return yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))


def seed_table_figures() -> dict[int, Counter]:
    """表N → the figures it prints, with how often each is printed."""
    return {n: Counter(FIGURE.findall(" ".join(rows))) for n, rows in published()["tables"].items()}


def seed_part3() -> dict[str, dict]:
    """Each section title of 第三部分 → {figures, whole_numbers, forms} of the seed."""
    return published()["part3"]


def squeeze(text: str) -> str:
    """Text compared without whitespace, full-width ，：；（） as their ASCII forms: the seed's text
    version and our HTML or PDF text differ in both without any figure differing."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("，：；（）", ",:;()"))


def differences() -> list[dict]:
    return published()["differences"]["slips"] + published()["differences"]["layout"]


def as_we_print(phrase: str) -> str:
    """A phrase of the seed, squeezed, with our deliberate differences from it applied."""
    text = squeeze(phrase)
    for difference in differences():
        text = text.replace(squeeze(difference["seed"]), squeeze(difference["ours"]))
    return text


def whole_number_phrases(section: dict) -> Counter:
    return Counter(as_we_print(p) for p in section["whole_numbers"] + section.get("forms", []))


def occurrences(phrase: str, text: str) -> int:
    """How often a squeezed phrase occurs in squeezed text; a number at either end of it must
    not run on into another number (“单位自筹0” is not in “单位自筹0.50”, “2人…” not in “12人…”)."""
    pattern = re.escape(phrase)
    if phrase[:1].isdigit():
        pattern = r"(?<!\d)(?<!\d[.,])" + pattern
    if phrase[-1:].isdigit():
        pattern += r"(?!\.?\d|,\d)"
    return len(re.findall(pattern, text))


def our_sections(part3_text: str) -> dict[str, str]:
    """Our squeezed 第三部分 cut at the seed's section titles (ours are the same titles)."""
    text = squeeze(part3_text)
    titles = [squeeze(title) for title in seed_part3()]
    starts = []
    for title in titles:
        starts.append(text.index(title, starts[-1] if starts else 0))
    return {title: text[start:end]
            for title, start, end in zip(seed_part3(), starts, starts[1:] + [len(text)])}


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
    for n, expected in seed_table_figures().items():
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
    ours = our_sections(" ".join(parsed.part3))
    for title, section in seed_part3().items():
        # at least as often as the seed, in the same section (our chart prints a few more)
        expected = Counter(section["figures"].split())
        missing = expected - Counter(FIGURE.findall(ours[title]))
        assert not missing, f"{title} lacks {dict(missing)}"


def test_narrative_and_forms_hold_the_seeds_whole_numbers(seed_build):
    # counts of units, staff, projects, 0万元, 0%, 100%, the 元 of the 绩效目标表, each with its words
    _, _, parsed = seed_build
    ours = our_sections(" ".join(parsed.part3))
    for title, section in seed_part3().items():
        for phrase, times in whole_number_phrases(section).items():
            found = occurrences(phrase, ours[title])
            assert found >= times, f"{title}: “{phrase}” printed {found} times, the seed {times}"


def test_narrative_does_not_repeat_the_seeds_slips(seed_build):
    _, _, parsed = seed_build
    ours = squeeze("".join(parsed.part3))
    for slip in published()["differences"]["slips"]:
        assert squeeze(slip["seed"]) not in ours, slip["why"]
        assert squeeze(slip["ours"]) in ours, slip["why"]
    assert "。；" not in "".join(parsed.part3)  # nowhere, not only after 考录1人


def test_pdf_text_holds_the_figures_and_no_glyph_is_missing(seed_build):
    _, pdf, _ = seed_build
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "\ufffd" not in text
    expected = sum(seed_table_figures().values(), Counter())
    for section in seed_part3().values():
        expected += Counter(section["figures"].split())
    missing = expected - Counter(FIGURE.findall(text))
    assert not missing, f"PDF lacks {dict(missing)}"
    # the watermark and page numbers may fall inside a sentence or between rows of a form
    body = squeeze("\n".join(line for line in text.splitlines()
                             if line.strip() != "仅供内部审核" and not re.fullmatch(r"— \d+ —", line.strip())))
    phrases = sum((whole_number_phrases(section) for section in seed_part3().values()), Counter())
    for phrase, times in phrases.items():
        assert occurrences(phrase, body) >= times, f"PDF lacks “{phrase}”"
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


@pytest.mark.parametrize("on_post, other, expected", [
    ("{}", "0", "现有在职人员0人。"),
    ("{}", "3", "现有在职人员3人：其中其他人员3人。"),
    ("{行政人员: 6}", "0", "现有在职人员6人：其中行政人员6人。"),
])
def test_staff_sentence_has_a_breakdown_only_when_there_is_one(tmp_path, on_post, other, expected):
    # found by a campaign: an empty on_post printed 现有在职人员0人：其中。
    from generator.narrative import sentences
    from generator.narratives import narrative
    text = edit(seed_text(), "      on_post:                # 在编在职人员，按类别\n        行政人员: 6\n"
                "        全额事业人员: 4\n        参照全额事业人员: 9\n      other: 0 ",
                f"      on_post: {on_post}\n      other: {other} ")
    budget, derived, found = check(write(tmp_path, text))
    assert budget is not None, [f.text() for f in found]
    said = [s for _, parts in sentences(narrative(budget, derived)).values() for s in parts]
    staff = [s for s in said if "现有在职人员" in s]
    assert staff and staff[0].endswith(expected), staff


def test_a_character_outside_the_common_fonts_is_drawn_from_the_whole_face(tmp_path):
    # the fonts WeasyPrint reads are the faces' common parts (GB 2312 and the symbols: 18 MB,
    # not 83); a rare character of a name (堃, 珺: not in GB 2312) comes from the whole face,
    # the next family in the style sheet, never from a system font and never as a blank box
    from generator.pdf import common_characters
    assert not {"堃", "珺"} & common_characters()
    text = edit(seed_text(), "name: 遗属补助", "name: 遗属补助（堃珺）")
    budget, derived, found = check(write(tmp_path, text))
    assert budget is not None, [f.text() for f in found]
    reader = PdfReader(BytesIO(write_pdf(render_html(budget, derived))))
    assert "遗属补助（堃珺）" in "".join(page.extract_text() for page in reader.pages)
    fonts = {re.sub(r"^[A-Z]{6}\+", "", str(f.get_object()["/BaseFont"]).lstrip("/"))
             for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts - {"Budget-Serif", "Budget-Serif-Bold", "Budget-Sans", "Budget-Sans-Bold"} <= {
        "Budget-Serif-Full", "Budget-Serif-Bold-Full", "Budget-Sans-Full", "Budget-Sans-Bold-Full"}
    assert fonts & {"Budget-Serif-Full", "Budget-Sans-Full", "Budget-Serif-Bold-Full", "Budget-Sans-Bold-Full"}


def test_the_filed_at_timestamp_breaks_only_between_date_and_time():
    """20251028093015 is too long for its column: it may wrap after the date, never inside."""
    budget, derived, found = check(str(JIAOYU_YAML))
    html = render_html(budget, derived)
    assert ('<td class="perf-filed-at"><span class="nowrap">20251028</span><wbr>'
            '<span class="nowrap">093015</span></td>') in html
