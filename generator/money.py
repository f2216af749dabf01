"""Exact amounts: parse 元 from the text that was written, round once for display."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

YUAN_PER_WAN = Decimal(10000)
MAX_AMOUNT = Decimal(10) ** 15  # 1,000 万亿元: larger is a typing error, not a budget
CENT = Decimal("0.01")

_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_WAN = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*万元")


def amount_problem(value) -> str | None:
    """Why `value` is not an amount in 元, in Chinese; None when it is one."""
    if value is None:
        return "金额不能为空：没有就写 0"
    if not isinstance(value, str):
        return "金额必须是一个数字，不能是列表或映射"
    text = str(value)
    if not getattr(value, "plain", True):
        return f"金额“{text}”不要加引号"
    if text.startswith("-"):
        return f"金额“{text}”不能为负数"
    if "," in text or "，" in text:
        return f"金额“{text}”不要使用千分位逗号"
    if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
        return f"金额“{text}”最多精确到分（两位小数）"
    if not _AMOUNT.fullmatch(text):
        return f"金额“{text}”不是以元为单位的数字（例如 12345 或 12345.67）"
    if Decimal(text) >= MAX_AMOUNT:
        return f"金额“{text}”超过 10^15 元，应是录入错误"
    return None


def parse_amount(value) -> Decimal:
    """The amount in 元; call only after amount_problem(value) is None."""
    return Decimal(str(value))


def control_interval(value) -> tuple[Decimal, Decimal] | None:
    """A control figure as the interval of exact 元 it stands for.

    "5429652" is exact (low == high); "542.97万元" was rounded half-up to 0.01 万元, so it
    stands for the half-open [542.965, 542.975) 万元.  None when the text is neither."""
    text = str(value).strip()
    match = _WAN.fullmatch(text)
    if match:
        number = match.group(1)
        places = len(number.partition(".")[2])
        half = Decimal(1).scaleb(-places) / 2
        wan = Decimal(number)
        return ((wan - half) * YUAN_PER_WAN, (wan + half) * YUAN_PER_WAN)
    if amount_problem(value) is None:
        exact = parse_amount(value)
        return (exact, exact)
    return None


def to_wan(yuan: Decimal) -> Decimal:
    """元 → 万元, rounded half-up to 2 places: the one rounding step for display."""
    return (yuan / YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part/whole as a percentage rounded half-up to 2 places; None when whole is 0."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_text(yuan: Decimal) -> str:
    """12345.6 → "12,345.60 元" for messages."""
    return f"{yuan:,.2f} 元"


# ---- display: the one place figures are rounded, each from its own exact value ----------

def wan(value, zero: str = "") -> str:
    """元 → "444.90" (万元); zero or missing prints `zero` (blank in tables, as the seed)."""
    if value is None or value == 0:
        return zero
    return f"{to_wan(value):,.2f}".replace(",", "")


def wan_grouped(value) -> str:
    """万元 with thousands separators, as Shanghai's 编制说明 prints them: 27,807.61."""
    return f"{to_wan(value):,.2f}" if value else "0"


def wan0(value) -> str:
    """万元 for sentences: zero prints "0" (the seed writes 政府性基金预算拨款收入0万元)."""
    return wan(value, zero="0")


def yuan(value, zero: str = "0") -> str:
    """元 with thousands separators, as the 绩效目标表 prints them: 1,440,000."""
    if value is None:
        return ""
    if value == 0:
        return zero
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def pct(value: Decimal | None) -> str:
    """12.5 → "12.50%"; zero prints "0%" as the seed does."""
    if value is None or value == 0:
        return "0%"
    return f"{value:.2f}%"


def amount(value, unit: str = "万元", zero: str = "") -> str:
    """A table cell in its table's unit: 万元 with 2 places, or 元 with thousands separators
    (places only when there are fen); `zero` (blank unless a table prints “0”) when zero."""
    if value is None:
        return ""
    if unit == "万元":
        return wan(value, zero=zero)
    return yuan(value, zero=zero)


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (enough for the 30 rows of 表一)."""
    tens, ones = divmod(n, 10)
    text = (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (_DIGITS[ones] if ones else "")
