"""The narrative as data: sections of blocks, each paragraph's text with the figures it prints.

A profile's narrative module (generator/narratives/<name>.py) writes its sections with a
Writer before any HTML exists; templates render them, and `budget diff`, `show` and the
redline read the same sentences from here. Blocks other than text (the chart, the 绩效目标表,
a list) are named inserts the profile's template renders from the derived data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .money import pct, wan0, wan_grouped

# blocks whose text is part of the narrative's sentences: paragraphs, headings, list items,
# and two a template draws its own way (the chart's labels and figures, the link to the forms);
# any other kind is an insert without text of its own (the 绩效目标表, the tables, a glossary)
TEXT_KINDS = ("p", "h2", "h3", "li", "forms_link", "chart")


@dataclass(frozen=True)
class Block:
    kind: str  # one of TEXT_KINDS, or an insert's name
    text: str = ""
    figures: tuple[Decimal, ...] = ()  # every amount and percentage the text prints
    entered: bool = False  # the budget's own free text (duties, notes), printed as written


@dataclass
class Section:
    id: str  # the heading's anchor
    title: str
    blocks: list[Block] = field(default_factory=list)
    css_class: str = ""  # a class the template adds to the section, if any
    part: str = ""  # the part it belongs to, when the standard numbers parts (第三部分)

    @property
    def headings(self) -> list[Block]:
        """The section's sub-headings (（一）, 1、…), in order: anchors <id>-1, <id>-2, …"""
        return [b for b in self.blocks if b.kind == "h3"]

    @property
    def where(self) -> str:
        """The section as a reviewer names it: “第三部分 七、“三公”经费增减变动原因说明”."""
        return f"{self.part} {self.title}".strip()

    def sentences(self) -> list[str]:
        """The section's text, block by block, split into sentences at 。 and ；."""
        return [s for b in self.blocks if b.kind in TEXT_KINDS
                for s in re.findall(r"[^。；]*[。；]?", re.sub(r"\s+", "", b.text)) if s]


class Writer:
    """Writes one section: every figure goes through wan/wan_grouped/pct, which format it once
    for display and record its exact value with the block being written."""

    def __init__(self, ident: str, title: str, css_class: str = "", part: str = ""):
        self.section = Section(ident, title, css_class=css_class, part=part)
        self._figures: list[Decimal] = []

    def wan(self, value) -> str:
        self._figures.append(value)
        return wan0(value)

    def wan_grouped(self, value) -> str:
        self._figures.append(value)
        return wan_grouped(value)

    def pct(self, value) -> str:
        self._figures.append(value)
        return pct(value)

    def block(self, kind: str, text: str = "", entered: bool = False) -> None:
        self.section.blocks.append(Block(kind, text, tuple(self._figures), entered))
        self._figures = []

    def p(self, *parts: str) -> None:
        self.block("p", "".join(parts))

    def h2(self, text: str) -> None:
        self.block("h2", text)

    def h3(self, text: str) -> None:
        self.block("h3", text)

    def li(self, *parts: str) -> None:
        self.block("li", "".join(parts))

    def paragraphs(self, text: str) -> None:
        """Free text of the budget, one block per blank-line paragraph."""
        for part in join_lines(text).split("\n\n"):
            if part.strip():
                self.block("p", part.strip(), entered=True)


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]*\n?[ \t]+(?=[{_CJK}])|(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_lines(text: str | None) -> str:
    """A line break inside Chinese text is no space (YAML folding makes one): drop it."""
    return _FOLDED_SPACE.sub("", text or "")


def sentences(sections: list[Section]) -> dict[str, tuple[str, list[str]]]:
    """{section id: (where, [sentence, …])} of the sections with text."""
    return {s.id: (s.where, s.sentences()) for s in sections if s.sentences()}
