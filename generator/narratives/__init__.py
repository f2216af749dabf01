"""Each profile's narrative: its sections as data (generator.narrative), and the figures its
templates need arranged (passed to them as `p3`).

A profile names its module here (`narrative: shanxi` in its profile.yaml); a profile whose
disclosure has tables only names none. Modules write sentences from derived figures and
rearrange them (signs of changes, lists, form rows): they compute no new sums.
"""
from __future__ import annotations

from importlib import import_module

from ..narrative import Section


def narrative_context(budget, derived) -> dict:
    """What the profile's templates get as `p3`, with its sections under "sections"; computed
    once per derived budget (templates, diff, show and the redline share it)."""
    if derived.narrative_context is None:
        name = derived.profile.narrative
        context = import_module(f"{__name__}.{name}").context(budget, derived) if name else {}
        context.setdefault("sections", [])
        derived.narrative_context = context
    return derived.narrative_context


def narrative(budget, derived) -> list[Section]:
    """The sections of the budget's narrative in its profile."""
    return narrative_context(budget, derived)["sections"]
