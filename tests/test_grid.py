"""generator/grid.py: the printed tables read back from the disclosure's HTML."""
from __future__ import annotations

from decimal import Decimal

from generator.grid import grids

TABLE = """<section class="table-section landscape" id="table-4-section">
<p class="table-number">预算公开表4</p>
<h2 class="table-title">2026年
  财政拨款收支总表</h2>
<div class="table-meta"><span>部门名称：某局</span><span>单位：万元</span></div>
<table><colgroup><col class="col-name"><col class="col-num"><col class="col-num"></colgroup>
<thead>
<tr><th rowspan="2">项目</th><th colspan="2">金额</th></tr>
<tr><th>小计</th><th>一般公共预算</th></tr>
<tr class="colnos"><th>1</th><th>2</th><th>3</th></tr>
</thead>
<tbody>
<tr class="total"><th class="total-label">合计</th><td class="num" data-yuan="12345.67">1.23</td><td class="num" data-yuan="0"></td></tr>
<tr><th class="name">a
   b<br>c</th><td class="num"></td><td class="num" data-yuan="1E+3">0.10</td></tr>
</tbody></table>
<p class="no-data">注：本表无数据</p>
</section>"""


def test_a_table_is_read_as_printed():
    [grid] = grids("<main><p>正文</p>" + TABLE + "<p>后文</p></main>")
    assert (grid.number, grid.above, grid.title, grid.unit) == (4, "预算公开表4", "2026年 财政拨款收支总表", "万元")
    assert grid.meta == ["部门名称：某局", "单位：万元"] and grid.notes == ["注：本表无数据"]
    assert grid.columns == ["name", "num", "num"] and grid.landscape
    # a header cell spanning two rows takes its column in the row below
    assert [[c for c, _ in line] for line in grid.placed(grid.head)] == [[0, 1], [1, 2], [0, 1, 2]]
    assert grid.column_labels() == ["项目", "金额/小计", "金额/一般公共预算"]  # colnos left out
    total, item = grid.body
    assert [c.yuan for c in total.cells] == [None, Decimal("12345.67"), Decimal("0")]
    assert item.cells[1].yuan is None and item.cells[2].yuan == Decimal("1000")
    # white space as a browser shows it; a <br> is a line break
    assert item.cells[0].text == "a b\nc"
