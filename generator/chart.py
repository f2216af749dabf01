"""Geometry of the 一般公共预算当年拨款结构图: horizontal bars, one per 类.

Only the layout is computed here (lengths in SVG units); the SVG itself is the template
chart.svg.j2, so its text stays text in the HTML and the PDF.
"""
from __future__ import annotations

from decimal import Decimal

from .money import percent

WIDTH = 640
LABEL_WIDTH = 190  # room for the 类 name left of the bar
VALUE_WIDTH = 190  # room for "444.64万元 81.89%" right of the bar
BAR_HEIGHT = 22
GAP = 12
TOP = 8


def bar_chart(rows) -> dict:
    """rows: derive.Row of 类 with cells[0] the amount in 元, largest first in the chart."""
    rows = sorted(rows, key=lambda r: (-r.cells[0], r.code))
    total = sum((r.cells[0] for r in rows), Decimal(0))
    largest = max((r.cells[0] for r in rows), default=Decimal(0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, row in enumerate(rows):
        amount = row.cells[0]
        length = float(amount / largest * span) if largest else 0.0
        y = TOP + i * (BAR_HEIGHT + GAP)
        length = round(max(length, 1.0), 2)
        bars.append({"name": row.name.split("、", 1)[-1], "amount": amount,
                     "percent": percent(amount, total), "y": y, "x": LABEL_WIDTH,
                     "length": length, "text_y": round(y + BAR_HEIGHT * 0.7, 2),
                     "value_x": round(LABEL_WIDTH + length + 6, 2)})
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    return {"bars": bars, "width": WIDTH, "height": height, "bar_height": BAR_HEIGHT,
            "label_x": LABEL_WIDTH - 8, "total": total}
