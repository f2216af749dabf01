"""The figures each profile's narrative prints, arranged for its templates (passed as `p3`).

A profile names its module here (`narrative: shanxi` in its profile.yaml); a profile whose
text needs nothing beyond derive.Derived.figures names none. Modules only rearrange derived
figures (signs of changes, lists, form rows): they compute no new sums.
"""
from __future__ import annotations

from importlib import import_module


def narrative_context(budget, derived) -> dict:
    name = derived.profile.narrative
    if not name:
        return {}
    return import_module(f"{__name__}.{name}").context(budget, derived)
