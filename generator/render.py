"""Render a checked budget into the disclosure's HTML (Jinja2, autoescaped).

Templates do no arithmetic: every figure comes from derive.Derived; the filters below only
format (万元 with 2 places, 元 with thousands separators, percentages), each from the exact
value of its own cell.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .chart import bar_chart
from .derive import Derived
from .model import Budget
from .money import amount, chinese_number, pct, wan, wan0, wan_grouped, yuan
from .narrative import join_lines
from .narratives import narrative_context

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

def paragraphs(text: str | None) -> Markup:
    """Free text with blank-line paragraphs → <p> elements (escaped)."""
    parts = [p.strip() for p in join_lines(text).split("\n\n") if p.strip()]
    return Markup("".join(Markup("<p>{}</p>").format(p) for p in parts))


def _finalize(value):
    """Every printed text: line breaks folded inside Chinese text are dropped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return join_lines(value)
    return value


@lru_cache(maxsize=None)
def environment(profile: str) -> jinja2.Environment:
    """Templates of `profile` first (templates/<profile>/), then the shared ones."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATE_DIR / profile, TEMPLATE_DIR]),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,  # a missing figure is a bug, never an empty cell
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        finalize=_finalize)
    env.filters.update(wan=wan, wan0=wan0, yuan=yuan, pct=pct, paragraphs=paragraphs, text=join_lines,
                       cn=chinese_number, amount=amount, wan_grouped=wan_grouped,
                       exact=lambda value: f"{value:f}")  # 元, every place, never 1E+3
    return env


@lru_cache(maxsize=None)
def standard_glossary(profile: str) -> list[dict]:
    path = TEMPLATE_DIR / profile / "glossary.yaml"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)["terms"]  # our own file, not user input


def glossary(budget: Budget, profile: str) -> list[dict]:
    """The profile's 名词解释, with the department's own entries replacing, adding or (with
    `remove: true`) leaving out terms."""
    own = {g["term"]: g for g in budget.glossary}
    terms = []
    for term in standard_glossary(profile):
        entry = own.pop(term["term"], None)
        if entry is None:
            terms.append(dict(term))
        elif not entry["remove"]:
            terms.append({"term": term["term"], "definition": entry["definition"]})
    return terms + [{"term": term, "definition": g["definition"]}
                    for term, g in own.items() if not g["remove"]]


def _css(profile: str, name: str) -> str:
    """A shared style sheet, followed by the profile's own of that name if it has one."""
    own = TEMPLATE_DIR / profile / name
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8") + (
        own.read_text(encoding="utf-8") if own.is_file() else "")


def render_html(budget: Budget, derived: Derived, redline=None) -> str:
    """The disclosure's HTML in the derived profile. `redline` (a redline.Redline, for
    `budget build --redline`) adds the banner, its style sheet and the marks of the changed
    cells; without it the output is the published document, unchanged."""
    profile = derived.profile
    template = environment(profile.directory).get_template("disclosure.html.j2")
    redline_css = (TEMPLATE_DIR / "redline.css").read_text(encoding="utf-8") if redline else ""
    return template.render(
        b=budget, d=derived, t=derived.tables, f=derived.figures, profile=profile,
        css=Markup(_css(profile.directory, "style.css")),
        print_css=Markup(_css(profile.directory, "print.css")),
        p3=narrative_context(budget, derived),
        chart=bar_chart(derived.figures["general_by_class"]),
        glossary=glossary(budget, profile.directory),
        redline=redline, redline_css=Markup(redline_css))
