"""The words a budget is written in are listed once, in generator/vocabulary.py: the cerberus
schema names them instead of repeating them, and the model, tables and narrative use them."""
from __future__ import annotations

import yaml

from conftest import ROOT
from generator import vocabulary
from generator.schema import load_schema

SCHEMA_TEXT = (ROOT / "schema" / "budget.schema.yaml").read_text(encoding="utf-8")


def _walk(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), key, value
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, path)


def test_the_schema_file_names_the_vocabulary_instead_of_repeating_it():
    raw = yaml.safe_load(SCHEMA_TEXT)
    for path, key, value in _walk(raw):
        if key == "allowed":
            assert isinstance(value, str) and value.startswith("vocabulary:"), path
    # its Chinese words, and the 三公 and 项目资金 keys ("other" is also 编外人员's key: left out)
    words = {w for name in dir(vocabulary) if name.isupper()
             for w in getattr(vocabulary, name) if isinstance(w, str) and not w.isascii()}
    words |= set(vocabulary.THREE_PUBLIC) | set(vocabulary.REQUIRED_PROJECT_FUNDS)
    assert not [key for _, key, _ in _walk(raw) if key in words]


def test_the_resolved_schema_holds_the_vocabulary():
    schema = load_schema()
    unit = schema["units"]["schema"]["schema"]
    assert unit["kind"]["allowed"] == list(vocabulary.UNIT_KINDS)
    assert unit["basic"]["keysrules"]["allowed"] == list(vocabulary.SOURCES)
    definitions = schema["definitions"]
    assert list(definitions["three_public"]) == list(vocabulary.THREE_PUBLIC)
    funds = definitions["project_funds"]["schema"]
    assert [k for k in funds if funds[k].get("required")] == list(vocabulary.REQUIRED_PROJECT_FUNDS)
    assert list(funds) == [k for k, _ in vocabulary.PROJECT_FUND_ROWS]
    vehicles = schema["assets"]["schema"]["vehicles"]["schema"]["by_category"]["keysrules"]
    assert vehicles["allowed"] == list(vocabulary.VEHICLE_CATEGORIES)


def test_a_word_added_to_the_vocabulary_is_allowed_by_the_schema(monkeypatch):
    monkeypatch.setattr(vocabulary, "UNIT_KINDS", vocabulary.UNIT_KINDS + ("社会团体",))
    kinds = load_schema()["units"]["schema"]["schema"]["kind"]["allowed"]
    assert kinds[-1] == "社会团体"
