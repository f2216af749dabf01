"""A JSON Schema (draft 2020-12) of the budget file, for editors: `budget schema`.

Generated, never written by hand, so that it cannot drift from what `budget check` accepts:
- the structure, `required`, closed mappings, allowed values and patterns come from the
  cerberus schema (schema/budget.schema.yaml), its `definitions` becoming `$defs` (a part
  shared through a YAML anchor is one `$def` too, found by identity: PyYAML gives every alias
  the anchored object itself);
- each key's Chinese description comes from schema/descriptions.yaml, the one place they are
  written (a key without a description, or a description of no key, is an error here);
- the "code name" entries of the classifications come from the catalogues
  (generator.catalog.load_catalogs(), local additions included).

The schema reads the file as an editor does (YAML 1.2 or PyYAML: an unquoted 117000 is a
number, a quoted "117000" a string).  It is made not to reject what `budget check` accepts
(a text an editor reads as a number or true is still text; a 项 the catalogue lacks under an
open 款 passes, as `budget check` only warns), the one exception being a "code name" with
extra spaces, which `budget check` tidies; where the two would differ it accepts, and
`budget check` decides (more than two decimals, YAML 1.1 octals, the arithmetic rules...).
tests/test_json_schema.py checks both directions over the corpus of bad budgets.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from types import SimpleNamespace

import yaml

from .catalog import load_catalogs
from .money import MAX_AMOUNT
from .references import OPERATORS, department_totals, project_totals
from .schema import SCHEMA_DIR, load_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
COMMAND = "budget schema > schema/budget.schema.json"  # what `make schema` runs

# A text of the file: whatever was written is text to `budget check` (a plain 13800000000 or
# yes is the text "13800000000" or "yes"), but an editor sees numbers and booleans.
TEXT_TYPES = ["string", "number", "boolean"]

# cerberus rules this module translates; any other makes generation fail (no silent drift)
KNOWN_RULES = {"type", "required", "schema", "keysrules", "valuesrules", "allowed", "regex",
               "empty", "maxlength", "minlength", "nullable"}

# Where the file holds classification entries ("code name"): (owner, path) → what they are.
# owner "file" is the file's top level, else a definition; "*" is any key of a mapping.
CODES = {
    ("file", "units.basic.*.by_function"): "function-keys",
    ("file", "units.basic.*.by_economic"): "economic-keys",
    ("file", "units.basic.*.government_economic"): "government-mapping",
    ("project", "function"): "function-value",
    ("carryover_project", "function"): "function-value",
}


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _reference_names() -> list[str]:
    """The totals an indicator may refer to, on either form (generator.references)."""
    department = department_totals({"performance": {"basic": 0, "project": 0}})
    project = project_totals(SimpleNamespace(performance={}))
    return list(dict.fromkeys([*department, *project]))


def _type_defs() -> dict:
    """This project's cerberus types (generator/schema.py) as JSON Schema."""
    return {
        "amount": {
            "description": "金额，以元为单位：不加引号的数字，不为负，最多两位小数，不用千分位逗号，"
                           "不写“元”“万元”，例如 117000、1250.5",
            "type": "number", "minimum": 0, "exclusiveMaximum": int(MAX_AMOUNT),
        },
        "count": {
            "description": "不加引号的整数，0 或更大，例如 20",
            "type": "integer", "minimum": 0, "maximum": 999_999_999,
        },
        "area": {
            "description": "面积（平方米）：不加引号的数字，最多两位小数，例如 248 或 248.5",
            "type": "number", "minimum": 0, "exclusiveMaximum": 1_000_000_000,
        },
        "control_amount": {
            "description": "控制数：元数（不加引号，精确比较，例如 5429652），或批复文件的万元数，"
                           "数字后紧跟“万元”（按四舍五入区间比较，例如 542.97万元）",
            "anyOf": [_ref("amount"),
                      {"type": "string", "pattern": r"^(0|[1-9][0-9]*)(\.[0-9]+)?\s*万元$"}],
        },
        "calendar_date": {
            "description": "真实存在的日期，写成带引号的 \"2025-12-31\"",
            "type": "string", "format": "date",
            "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        },
        "indicator_value": {
            "description": "指标值：文字（如 ≥95%、3人），或引用本表印出的合计数，写成 {符号: 合计名称}，"
                           "如 {≤: 基本支出}；符号可用 " + "、".join(OPERATORS),
            "anyOf": [
                {"type": TEXT_TYPES},
                {"type": "object", "minProperties": 1, "maxProperties": 1,
                 "propertyNames": {"enum": list(OPERATORS)},
                 "additionalProperties": {"type": "string", "examples": _reference_names()}},
            ],
        },
    }


def _alternation(codes: list[str]) -> str:
    """A regex alternation of 7-digit codes, grouped by their 款: 20140(?:01|02)|20141(?:01)."""
    groups = defaultdict(list)
    for code in codes:
        groups[code[:5]].append(code[5:])
    return "|".join(f"{section}(?:{'|'.join(items)})" for section, items in groups.items())


def _catalogue_defs(catalogs) -> tuple[dict, dict]:
    """($defs of the classification entries, the government_economic mapping's schema)."""
    function = catalogs.function
    items = [code for code in function.codes if len(code) == 7]
    info = getattr(function, "info", {}) or {}
    open_sections = [code for code in function.codes
                     if len(code) == 5 and not (info.get(code) or {}).get("complete")]
    entry = {"enum": [f"{code} {function.codes[code]}" for code in items]}
    # A 项 the catalogue lacks, under a 款 not marked complete, is only a warning of
    # `budget check` (catalog-unlisted): accepted here too.  A listed code with another name,
    # a code of a complete 款 or of no listed 款, or a 款/类 code is an error in both.
    branches = [entry]
    if open_sections and items:
        branches.append({"pattern": "^(?=(?:" + "|".join(open_sections) + ")[0-9]{2} )"
                                    "(?!(?:" + _alternation(items) + ") )[0-9]{7} \\S"})
    function_item = {
        "description": "支出功能分类科目，填到 7 位的“项”：“编码 名称”，一个空格，名称与科目目录一字不差，"
                       "例如 \"2014001 行政运行\"（见 docs/科目目录.md）",
        "type": "string", "pattern": "^[0-9]{7} \\S",
        "anyOf": branches,
        "errorMessage": "不是科目目录中的支出功能分类项：写成“7 位项编码 名称”，名称与目录一字不差",
    }

    def entries(catalog, digits):
        return [f"{code} {name}" for code, name in catalog.codes.items() if len(code) == digits]

    department = {
        "description": "部门预算支出经济分类科目，填到 5 位的“款”：“编码 名称”，名称与科目目录一字不差，"
                       "例如 \"30201 办公费\"",
        "type": "string", "pattern": "^[0-9]{5} \\S", "enum": entries(catalogs.economic_department, 5),
        "errorMessage": "不是科目目录中的部门预算支出经济分类款：写成“5 位款编码 名称”，名称与目录一字不差",
    }
    government = {
        "description": "政府预算支出经济分类科目，5 位的“款”：“编码 名称”，例如 \"50501 工资福利支出\"",
        "type": "string", "pattern": "^[0-9]{5} \\S", "enum": entries(catalogs.economic_government, 5),
        "errorMessage": "不是科目目录中的政府预算支出经济分类款：写成“5 位款编码 名称”，名称与目录一字不差",
    }
    named = {code: f"{code} {name}" for code, name in catalogs.economic_government.codes.items()}
    mapped = {}
    for code, name in catalogs.economic_department.codes.items():
        sides = catalogs.mapping.get(code) or {}
        allowed = sorted({named[gov] for gov in sides.values() if gov in named})
        if len(code) == 5 and allowed:
            said = "；".join(f"{side} {named[gov]}" for side, gov in sides.items() if gov in named)
            mapped[f"{code} {name}"] = {
                "description": f"部门经济分类 {code} {name} 改用的政府经济分类，只能是对照表中的一个"
                               f"（默认：{said}）",
                "enum": allowed}
    mapping = {"type": "object", "propertyNames": _ref("economic_department_item"),
               "properties": mapped, "additionalProperties": _ref("economic_government_item")}
    return ({"function_item": function_item, "economic_department_item": department,
             "economic_government_item": government}, mapping)


class _Generator:
    def __init__(self, cerberus: dict, descriptions: dict, catalogs):
        self.definitions = cerberus.pop("definitions")
        self.root = cerberus
        self.descriptions = {("file", path): text for path, text in descriptions["file"].items()}
        for owner, paths in descriptions["definitions"].items():
            self.descriptions.update({(owner, path): text for path, text in paths.items()})
        self.used: set = set()
        self.missing: list[str] = []
        self.codes_used: set = set()
        # a definition referred to by name (cerberus registry) or shared through an anchor
        self.anchors = {id(rules): name for name, rules in self.definitions.items()}
        self.catalogue_defs, self.government_mapping = _catalogue_defs(catalogs)

    # ---- descriptions -------------------------------------------------------------------
    def describe(self, schema: dict, owner: str, path: str, required: bool = True) -> dict:
        text = self.descriptions.get((owner, path))
        if text is None:
            if required:
                self.missing.append(f"{owner}: {path}")
            return schema
        self.used.add((owner, path))
        return {"description": str(text).strip(), **schema}

    # ---- translation --------------------------------------------------------------------
    def fields(self, fields: dict, owner: str, path: str) -> dict:
        """A closed mapping: its keys, which are required, and no other key."""
        properties, required = {}, []
        for key, rules in fields.items():
            sub = _join(path, key)
            properties[str(key)] = self.describe(self.rules(rules, owner, sub), owner, sub)
            if rules.get("required"):
                required.append(str(key))
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def rules(self, rules: dict, owner: str, path: str, defining: str | None = None) -> dict:
        name = self.anchors.get(id(rules))
        if name is not None and name != defining:
            return _ref(name)
        unknown = set(rules) - KNOWN_RULES
        if unknown:
            raise ValueError(f"{owner}: {path}：cerberus 规则 {sorted(unknown)} 没有对应的 JSON Schema")
        kind = rules.get("type")
        code = CODES.get((owner, path))
        if code:
            self.codes_used.add((owner, path))
        if kind == "dict":
            schema = self.mapping(rules, owner, path, code)
        elif kind == "list":
            schema = {"type": "array"}
            if "schema" in rules:
                schema["items"] = self.rules(rules["schema"], owner, path)
            if "minlength" in rules:
                schema["minItems"] = rules["minlength"]
            if "maxlength" in rules:
                schema["maxItems"] = rules["maxlength"]
        elif code == "function-value":
            schema = _ref("function_item")
        else:
            schema = self.scalar(rules, owner, path)
        return schema

    def mapping(self, rules: dict, owner: str, path: str, code: str | None) -> dict:
        inner = rules.get("schema")
        if isinstance(inner, str):  # a definition of the registry, by name
            return _ref(inner)
        if isinstance(inner, dict):
            name = self.anchors.get(id(inner))
            return _ref(name) if name else self.fields(inner, owner, path)
        schema = {"type": "object"}
        if code == "government-mapping":
            schema.update(self.government_mapping)
        else:
            names = self.key_rules(rules.get("keysrules"))
            if code == "function-keys":
                names = _ref("function_item")
            elif code == "economic-keys":
                names = _ref("economic_department_item")
            if names:
                schema["propertyNames"] = names
            if "valuesrules" in rules:
                values = self.rules(rules["valuesrules"], owner, _join(path, "*"))
                schema["additionalProperties"] = self.describe(values, owner, _join(path, "*"),
                                                               required=False)
        if "minlength" in rules:
            schema["minProperties"] = rules["minlength"]
        if "maxlength" in rules:
            schema["maxProperties"] = rules["maxlength"]
        return schema

    @staticmethod
    def key_rules(rules: dict | None) -> dict | None:
        if not rules:
            return None
        schema = {}
        if "allowed" in rules:
            schema["enum"] = list(rules["allowed"])
        if rules.get("empty") is False:
            schema["minLength"] = 1
        if "maxlength" in rules:
            schema["maxLength"] = rules["maxlength"]
        return schema or None

    @staticmethod
    def scalar(rules: dict, owner: str, path: str) -> dict:
        kind = rules.get("type")
        if kind == "text":
            schema = {"type": list(TEXT_TYPES)}
        elif kind in ("amount", "count", "area", "control_amount", "calendar_date",
                      "indicator_value"):
            schema = _ref(kind)
        else:
            raise ValueError(f"{owner}: {path}：类型 {kind!r} 没有对应的 JSON Schema")
        if "allowed" in rules:
            schema = {"enum": list(rules["allowed"])}
        if "regex" in rules:
            # the whole text: "$" alone would let a final line break through in some engines
            schema["pattern"] = f"^(?:{rules['regex']})(?![\\s\\S])"
        if rules.get("empty") is False:
            schema["minLength"] = 1
        if "maxlength" in rules:
            schema["maxLength"] = rules["maxlength"]
        if rules.get("nullable"):
            if "type" not in schema:
                raise ValueError(f"{owner}: {path}：nullable 只用于文字")
            schema["type"] = [*schema["type"], "null"]
        return schema

    # ---- the whole schema ---------------------------------------------------------------
    def schema(self) -> dict:
        root = self.fields(self.root, "file", "")
        defs = {**_type_defs(), **self.catalogue_defs}
        for name, definition in self.definitions.items():
            if isinstance(definition.get("type"), str):  # a rule set shared through an anchor
                defs[name] = self.rules(definition, name, "", defining=name)
            else:  # a field map of the registry
                defs[name] = self.fields(definition, name, "")
        problems = [f"缺少说明：{m}" for m in self.missing]
        problems += [f"说明没有对应的键：{owner}: {path}"
                     for owner, path in self.descriptions if (owner, path) not in self.used]
        problems += [f"科目位置不在格式中：{owner}: {path}"
                     for owner, path in CODES if (owner, path) not in self.codes_used]
        if problems:
            raise ValueError("schema/descriptions.yaml 与 schema/budget.schema.yaml 不一致：\n  "
                             + "\n  ".join(problems))
        return {
            "$schema": DRAFT,
            "$comment": f"由 `{COMMAND}`（make schema）从 schema/budget.schema.yaml、"
                        "schema/descriptions.yaml 和 schema/catalogs/ 生成，不要手改；"
                        "改动这些文件后请重新生成。",
            "title": "部门预算文件（budgets/<年度>/<名称>.yaml）",
            "description": "一个部门一个年度的预算。格式见 docs/格式说明.md；以 budget check 的检查结果为准。",
            **root,
            "$defs": defs,
        }


def _read_yaml(name: str) -> dict:
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)  # our own files, not user input


def generate() -> dict:
    """The JSON Schema of a budget file, from the cerberus schema, descriptions and catalogues."""
    return _Generator(load_schema(), _read_yaml("descriptions.yaml"), load_catalogs()).schema()


@lru_cache(maxsize=1)
def text() -> str:
    """The schema as `budget schema` prints it and schema/budget.schema.json holds it."""
    return json.dumps(generate(), ensure_ascii=False, indent=2) + "\n"

