"""The one rounding step: 万元 and percentages are rounded half-up, as the published figures are."""
from __future__ import annotations

from decimal import Decimal

import pytest

from generator.money import control_interval, percent, to_wan


@pytest.mark.parametrize("yuan, wan", [
    ("50", "0.01"),        # 0.005 万元: an exact half rounds up (half-even would give 0.00)
    ("49.99", "0.00"),
    ("150", "0.02"),       # 0.015: half-even would also round up; 0.025 below tells them apart
    ("250", "0.03"),       # 0.025: half-even would give 0.02
    ("3201140", "320.11"),
    ("5432252", "543.23"),  # the seed's 表三 合计, whose parts print 320.11 + 223.11
    ("0", "0.00"),
])
def test_to_wan_rounds_half_up(yuan, wan):
    assert to_wan(Decimal(yuan)) == Decimal(wan)


@pytest.mark.parametrize("part, whole, expected", [
    (1000, 800000, "0.13"),    # 0.125%: an exact half rounds up (half-even would give 0.12)
    (1000, 400000, "0.25"),
    (3000, 800000, "0.38"),    # 0.375%
    (2600, 5432252, "0.05"),   # the seed's 上年结转 share
    (0, 5432252, "0.00"),
])
def test_percent_rounds_half_up(part, whole, expected):
    assert percent(Decimal(part), Decimal(whole)) == Decimal(expected)


def test_percent_of_nothing_is_none():
    assert percent(Decimal(5), Decimal(0)) is None


@pytest.mark.parametrize("text, low, high", [
    ("5429652", "5429652", "5429652"),           # 元: exact
    ("542.97万元", "5429650", "5429750"),         # [542.965, 542.975) 万元
    ("543.0万元", "5429500", "5430500"),          # one place: ±0.05 万元
    ("543万元", "5425000", "5435000"),            # no places: ±0.5 万元
])
def test_control_interval(text, low, high):
    assert control_interval(text) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", ["542.97万", "-5", "5,429,652", "abc"])
def test_control_interval_refuses_what_is_neither(text):
    assert control_interval(text) is None
