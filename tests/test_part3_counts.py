"""Counts of units that 第三部分 prints: 机关及下属预算单位 (every unit, the 机关 included) and
the department form's 所属预算单位数 (the units besides the 机关)."""
from __future__ import annotations

import re

import pytest

from generator.check import check
from generator.render import render_html

from conftest import JIAOYU_YAML, SEED_YAML


def rendered_text(path) -> str:
    """The disclosure's HTML as text without tags or whitespace."""
    budget, derived, found = check(str(path))
    assert budget is not None, [f.text() for f in found]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", " ", render_html(budget, derived)))


@pytest.mark.parametrize("path, units", [
    (SEED_YAML, 1),    # the bureau alone; the seed prints 所属预算单位数 0个 and 机关及下属预算单位1个
    (JIAOYU_YAML, 3),  # 教育局, 教育督导评估中心, 实验中学
])
def test_unit_counts(path, units):
    text = rendered_text(path)
    assert re.findall(r"机关及下属预算单位(\d+)个，其中(\d+)个单位（包括机关）", text) == [(str(units),) * 2]
    assert re.findall(r"所属预算单位数(\d+)个", text) == [str(units - 1)]
