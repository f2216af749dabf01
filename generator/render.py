"""Render a checked budget into the disclosure's HTML (Jinja2, autoescaped).

Templates do no arithmetic: every figure comes from derive.Derived; the filters below only
format (万元 with 2 places, 元 with thousands separators, percentages), each from the exact
value of its own cell.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .chart import bar_chart
from .derive import Derived, chinese_number
from .model import Budget
from .money import to_wan
from .part3 import part3_context

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

# 第三部分's sections: (anchor id, title) for the 目录 and the section headings.
PART3_SECTIONS = [
    ("part3-1", "一、部门预算收支数据变动情况及原因"),
    ("part3-2", "二、收入预算情况说明"),
    ("part3-3", "三、支出预算情况说明"),
    ("part3-4", "四、财政拨款收支预算总体情况说明"),
    ("part3-5", "五、一般公共预算支出情况说明"),
    ("part3-6", "六、一般公共预算基本支出情况说明"),
    ("part3-7", "七、“三公”经费增减变动原因说明"),
    ("part3-8", "八、机关运行经费增减变动原因说明"),
    ("part3-9", "九、政府采购情况"),
    ("part3-10", "十、绩效管理情况"),
    ("part3-11", "十一、国有资产占有使用情况"),
    ("part3-12", "十二、其他说明"),
]


def wan(value, zero: str = "") -> str:
    """元 → "444.90" (万元); zero or missing prints `zero` (blank in tables, as the seed)."""
    if value is None or value == 0:
        return zero
    return f"{to_wan(value):,.2f}".replace(",", "")


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


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]*\n?[ \t]+(?=[{_CJK}])|(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_lines(text: str | None) -> str:
    """A line break inside Chinese text is no space (YAML folding makes one): drop it."""
    return _FOLDED_SPACE.sub("", text or "")


def paragraphs(text: str | None) -> Markup:
    """Free text with blank-line paragraphs → <p> elements (escaped)."""
    parts = [p.strip() for p in join_lines(text).split("\n\n") if p.strip()]
    return Markup("".join(Markup("<p>{}</p>").format(p) for p in parts))


def _finalize(value):
    """Every printed text: line breaks folded inside Chinese text are dropped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return join_lines(value)
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,  # a missing figure is a bug, never an empty cell
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=_finalize)
    env.filters.update(wan=wan, wan0=wan0, yuan=yuan, pct=pct, paragraphs=paragraphs, text=join_lines,
                       cn=chinese_number)
    return env


@lru_cache(maxsize=1)
def standard_glossary() -> list[dict]:
    with open(TEMPLATE_DIR / "glossary.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)["terms"]  # our own file, not user input


def glossary(budget: Budget) -> list[dict]:
    """The standard 名词解释, with the department's own entries replacing or adding terms."""
    own = {str(g["term"]): str(g["definition"]) for g in budget.glossary}
    terms = [{"term": t["term"], "definition": own.pop(t["term"], t["definition"])}
             for t in standard_glossary()]
    return terms + [{"term": term, "definition": text} for term, text in own.items()]


def render_html(budget: Budget, derived: Derived, redline=None) -> str:
    """The disclosure's HTML. `redline` (a redline.Redline, for `budget build --redline`) adds
    the banner, its style sheet and the marks of the changed cells; without it the output is
    the published document, unchanged."""
    template = environment().get_template("disclosure.html.j2")
    css = (TEMPLATE_DIR / "style.css").read_text(encoding="utf-8")
    print_css = (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")
    redline_css = (TEMPLATE_DIR / "redline.css").read_text(encoding="utf-8") if redline else ""
    return template.render(
        b=budget, d=derived, t=derived.tables, f=derived.figures, css=Markup(css), print_css=Markup(print_css),
        part3_sections=PART3_SECTIONS, p3=part3_context(budget, derived),
        chart=bar_chart(derived.figures["general_by_class"]), glossary=glossary(budget),
        redline=redline, redline_css=Markup(redline_css))
