"""The printed pages, measured from the PDF as a reader turns them (pypdf): each 绩效目标表 on
one page, contents that list every numbered heading and fit their page, no stranded page."""
from __future__ import annotations

import re
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
def pages(path) -> list[str]:
    budget, derived, found = check(str(path))
    assert budget is not None, found
    reader = PdfReader(BytesIO(write_pdf(render_html(budget, derived))))
    return [page.extract_text() for page in reader.pages]


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
