"""Check the shape of a loaded budget against schema/budget.schema.yaml (cerberus).

cerberus reports in English by error code; each is turned into a Chinese finding at the
file:line:column of the offending key or value.  A misspelt key gets the closest valid key.
"""
from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import cerberus
import yaml
from cerberus import errors

from .findings import ERROR, Finding
from .loader import Document
from .money import amount_problem, control_interval
from . import vocabulary
from .references import OPERATORS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

_COUNT = re.compile(r"[0-9]{1,9}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AREA = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")
_LEADING_ZERO = re.compile(r"0[0-9]")


def _plain(value, pattern) -> bool:
    return isinstance(value, str) and getattr(value, "plain", True) and bool(pattern.fullmatch(value))


def _amount_problem(value) -> str | None:
    """money.amount_problem, and a leading zero: YAML 1.1 reads `010` as 8 (octal), YAML 1.2
    and a person as 10, so such an amount is refused rather than read either way."""
    problem = amount_problem(value)
    if problem is None and _LEADING_ZERO.match(value):
        return f"金额“{value}”不能以 0 开头（可能被读成八进制）：请写成 {Decimal(value)}"
    return problem


class BudgetValidator(cerberus.Validator):
    """cerberus with this project's scalar types (every scalar arrives as text)."""

    def _error(self, *args):
        # cerberus 1.3 sorts its whole error list, and the errors of one schema rule, at every
        # error it adds: a file with 2,000 unknown keys took 13 s, one with 90,000 hours.
        # Nothing needs them in order (findings are sorted when printed) and nothing reads the
        # schema error tree, so errors are appended and that tree is left out.
        if len(args) != 1:
            return super()._error(*args)  # builds the error, then comes back here
        self._errors.extend(args[0])
        for error in args[0]:
            self.document_error_tree.add(error)  # one node per document path: stays small
            self.error_handler.emit(error)

    def _validate_regex(self, pattern, field, value):
        """{'type': 'string'}"""
        # the whole text must match: cerberus adds "$", which also matches before a final
        # newline, so `code: "020\n"` would pass
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            self._error(field, errors.REGEX_MISMATCH)

    def _validate_type_amount(self, value):
        return _amount_problem(value) is None

    def _validate_type_control_amount(self, value):
        return isinstance(value, str) and control_interval(value) is not None \
            and not _LEADING_ZERO.match(value.strip())

    def _validate_type_count(self, value):
        return _plain(value, _COUNT)

    def _validate_type_area(self, value):
        return _plain(value, _AREA)

    def _validate_type_calendar_date(self, value):
        try:
            return isinstance(value, str) and bool(_DATE.fullmatch(value)) \
                and bool(datetime.date.fromisoformat(value))
        except ValueError:
            return False

    def _validate_type_text(self, value):
        return isinstance(value, str)

    def _validate_type_indicator_value(self, value):
        # text, or a reference to a total of the form: {≤: 基本支出} (generator.references)
        if isinstance(value, Mapping):
            return len(value) == 1 and all(k in OPERATORS and isinstance(v, str)
                                           for k, v in value.items())
        return isinstance(value, str)


def _with_vocabulary(node):
    """The schema with generator.vocabulary's lists put where it names them: `allowed:
    "vocabulary:NAME"` becomes the list, a key "vocabulary:NAME" one key per item (each with
    its own copy of the rules).  Mappings are changed in place: shared (anchored) parts stay
    shared."""
    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            if isinstance(key, str) and key.startswith(VOCABULARY):
                del node[key]
                node.update((item, _with_vocabulary(dict(value))) for item in _words(key))
            elif key == "allowed" and isinstance(value, str) and value.startswith(VOCABULARY):
                node[key] = list(_words(value))
            else:
                _with_vocabulary(value)
    elif isinstance(node, list):
        for item in node:
            _with_vocabulary(item)
    return node


VOCABULARY = "vocabulary:"


def _words(reference: str) -> tuple:
    return tuple(getattr(vocabulary, reference[len(VOCABULARY):]))


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return (SCHEMA_DIR / "budget.schema.yaml").read_text(encoding="utf-8")


def load_schema() -> dict:
    """The cerberus schema with its vocabulary resolved (a fresh copy: callers may change it)."""
    return _with_vocabulary(yaml.safe_load(_schema_text()))  # our own file, not user input


@lru_cache(maxsize=1)
def _validator() -> BudgetValidator:
    schema = load_schema()
    registry = cerberus.schema_registry.__class__()
    for name, definition in schema.pop("definitions").items():
        if name in ("project", "carryover_project", "three_public", "indicators", "staff"):
            registry.add(name, definition)
    return BudgetValidator(schema, schema_registry=registry)


_TYPE_WORDS = {
    "dict": "“键: 值”的映射", "list": "列表（每项以“- ”开头）", "text": "文字",
    "count": "不加引号的整数（例如 20）", "area": "不加引号的数字（例如 248 或 248.5）",
    "control_amount": "元数（例如 5429652）或万元数（例如“542.97万元”）",
    "calendar_date": "真实的日期，写成 2025-12-31",
    "indicator_value": "文字（如 ≥90%），或引用本表的合计数（如 {≤: 基本支出}，符号可用 "
                       + "、".join(OPERATORS) + "）",
}


def _expected_keys(validator, path) -> list[str]:
    """The keys the schema allows at `path` (a document path), for did-you-mean hints."""
    def resolve(schema):
        return validator.schema_registry.get(schema) or {} if isinstance(schema, str) else schema

    rules = {"schema": validator.schema}
    for key in path:
        if not isinstance(key, int) and "schema" not in rules and "valuesrules" in rules:
            rules = rules["valuesrules"]  # a mapping whose every value has the same rules
            continue
        schema = resolve(rules.get("schema", {}))
        if isinstance(key, int):  # a list item: the list's "schema" rules the item
            rules = schema
        else:
            rules = schema.get(key, {}) if isinstance(schema, Mapping) else {}
    fields = resolve(rules.get("schema", {}))
    return list(fields) if isinstance(fields, Mapping) else []


def _rules_at(validator, schema_path) -> Mapping:
    """The rule set at a cerberus schema path, following references to the registry."""
    rules = validator.schema
    for key in schema_path:
        if isinstance(rules, str):
            rules = validator.schema_registry.get(rules) or {}
        rules = rules.get(key, {}) if isinstance(rules, Mapping) else {}
    return rules if isinstance(rules, Mapping) else {}


def _leaf_errors(error_list):
    for error in error_list:
        if error.is_group_error:
            yield from _leaf_errors(error.child_errors)
        else:
            yield error


def _message(validator, doc: Document, error) -> tuple[str, object, str]:
    """(rule id, location, Chinese message) for one cerberus error."""
    path = error.document_path
    field = path[-1] if path else ""
    in_keys = "keysrules" in error.schema_path
    where = doc.where_key(*path) if in_keys else doc.where(*path)
    value = error.value
    if error.code == errors.UNKNOWN_FIELD.code:
        allowed = [k for k in _expected_keys(validator, path[:-1]) if k != "definitions"]
        close = difflib.get_close_matches(str(field), allowed, n=1, cutoff=0.6)
        hint = f"，是否应为“{close[0]}”？" if close else (f"；可用的键：{'、'.join(allowed)}" if allowed else "")
        return "schema-unknown-key", doc.where_key(*path), f"未知的键“{field}”{hint}"
    if error.code == errors.REQUIRED_FIELD.code:
        parent = "/".join(str(p) for p in path[:-1]) or "文件顶层"
        return "schema-missing-key", doc.where(*path[:-1]), f"{parent} 缺少必填的键“{field}”"
    if error.code == errors.UNALLOWED_VALUE.code:
        allowed = error.constraint
        what = "键" if in_keys else "值"
        close = difflib.get_close_matches(str(value), list(map(str, allowed)), n=1, cutoff=0.6)
        hint = f"，是否应为“{close[0]}”？" if close else ""
        return ("schema-value", where,
                f"{what}“{value}”不是允许的取值{hint}；允许：{'、'.join(map(str, allowed))}")
    if error.code == errors.BAD_TYPE.code:
        expected = error.constraint
        if expected == "amount":
            return "schema-amount", where, f"{field}：{_amount_problem(value)}"
        return "schema-type", where, f"{field} 应为{_TYPE_WORDS.get(expected, expected)}"
    if error.code in (errors.EMPTY_NOT_ALLOWED.code, errors.NOT_NULLABLE.code):
        if _rules_at(validator, error.schema_path[:-1]).get("type") == "amount":
            return "schema-amount", where, f"{field}：{amount_problem(None)}"
        return "schema-empty", where, f"{field} 不能为空"
    if error.code == errors.MAX_LENGTH.code and isinstance(value, str):
        return ("schema-too-long", where,
                f"{field} 有 {len(value):,} 字，最多 {error.constraint:,} 字（表格中的文字过长会使排版极慢）")
    if error.code == errors.MAX_LENGTH.code:
        return ("schema-too-long", where,
                f"{field} 有 {len(value):,} 项，最多 {error.constraint:,} 项（远多于实际预算，"
                "可能误粘贴了大量内容）")
    if error.code == errors.MIN_LENGTH.code:
        return "schema-empty", where, f"{field} 至少要有 {error.constraint} 项"
    if error.code == errors.REGEX_MISMATCH.code:
        broken = "：末尾或中间有换行符，请删去" if isinstance(value, str) and (
            "\n" in value or "\r" in value) else ""
        return "schema-format", where, f"{field}“{value}”的格式不对{broken}"
    return "schema", where, f"{field}：{error.document_path} {error.rule} {error.constraint}"


def validate(doc: Document) -> list[Finding]:
    validator = _validator()
    # No normalisation: the schema sets no defaults, coercions or renames, and cerberus 1.3's
    # normaliser crashes (TypeError) on a list where a mapping with a named schema belongs.
    if validator.validate(doc.data, normalize=False):
        return []
    findings = []
    for error in _leaf_errors(validator._errors):
        rule, where, message = _message(validator, doc, error)
        findings.append(Finding(where, ERROR, rule, message))
    return findings
