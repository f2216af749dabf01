"""The words every narrative uses: changes with their sign, reasons, dates."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import percent


@dataclass(frozen=True)
class Change:
    """A year-on-year change: `amount` and `percent` are magnitudes, `sign` says which way.

    percent is None when the prior figure is 0 (no growth rate can be computed)."""
    now: Decimal
    before: Decimal
    sign: int  # 1 increase, 0 unchanged, -1 decrease
    amount: Decimal
    percent: Decimal | None


def change(figure: dict) -> Change:
    """A Change from one of derive's change dicts (now, before, change, percent)."""
    delta, pct = figure["change"], figure["percent"]
    return Change(figure["now"], figure["before"], (delta > 0) - (delta < 0), abs(delta),
                  None if pct is None else abs(pct))


def change_between(now: Decimal, before: Decimal) -> Change:
    return change({"now": now, "before": before, "change": now - before,
                   "percent": percent(now - before, before)})


def reason(text: str | None) -> str:
    """A free-text reason without its closing punctuation, so a sentence can go on after it
    (the seed's “考录1人。；” came from adding “；” after a reason that ended in “。”)."""
    return (text or "").strip().rstrip("。；;，,.、 ")


def date_text(iso: str) -> str:
    """"2025-12-31" → "2025年12月31日"."""
    year, month, day = (int(part) for part in str(iso).split("-"))
    return f"{year}年{month}月{day}日"
