"""The JSON Schema editors use (schema/budget.schema.json, printed by `budget schema`).

It is generated from the cerberus schema, schema/descriptions.yaml and the catalogues, so the
committed file must be what `budget schema` prints now; it is a valid draft 2020-12 schema; a
real validator (jsonschema) accepts both example budgets read as an editor reads them (PyYAML
safe_load: unquoted numbers are numbers) and rejects the mistakes an editor should underline;
and over the corpus of bad budgets it rejects what the schema stage of `budget check` rejects
(known, listed exceptions aside) and never rejects a file that passes that stage.
"""
from __future__ import annotations

import copy
import json
from types import SimpleNamespace

import jsonschema
import pytest
import yaml

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit, seed_text
from generator import cli, json_schema
from generator.catalog import load_catalogs
from generator.schema import load_schema
from generator.rules import RULES

SCHEMA_FILE = ROOT / "schema" / "budget.schema.json"
CORPUS = ROOT / "tests" / "corpus"
REGENERATE = ("schema/budget.schema.json is out of date: run "
              "`budget schema > schema/budget.schema.json` (or `make schema`)")


@pytest.fixture(scope="module")
def schema() -> dict:
    return json_schema.generate()


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(validator, text: str) -> list[str]:
    """What the validator says about a budget read as an editor reads it."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(yaml.safe_load(text))]


# ---- the committed file is generated, and current ----------------------------------------------

def test_committed_file_is_what_budget_schema_prints(capsys):
    assert cli.main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == json_schema.text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed, REGENERATE


def test_installed_command_prints_it_too():
    import subprocess
    result = subprocess.run([str(BUDGET_EXE), "schema"], capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout.decode("utf-8")) == json.loads(json_schema.text())


def test_it_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "budget schema" in schema["$comment"]


def test_size_stays_reasonable():
    # One copy of the catalogue's 项 (an enum in $defs/function_item, referenced everywhere);
    # at ~2,000 项 the file stays well under a megabyte, which editors load without effort.
    size = SCHEMA_FILE.stat().st_size
    items = len(json_schema.generate()["$defs"]["function_item"]["anyOf"][0]["enum"])
    assert size < 150 * items + 100_000, (size, items)


# ---- generated from the cerberus schema: structure, descriptions, no silent drift --------------

def walk(node, path=()):
    """(path, schema) of every subschema."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, path + (i,))


def test_every_key_has_a_chinese_description(schema):
    named = [(path, name, sub) for path, node in walk(schema) if "properties" in node
             for name, sub in node["properties"].items()]
    assert len(named) > 150
    for path, name, sub in named:
        text = sub.get("description", "")
        assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text), (path, name)


def test_every_closed_mapping_of_cerberus_is_closed(schema):
    # every mapping with a fixed list of keys refuses others (a misspelt key is underlined)
    for path, node in walk(schema):
        if "properties" in node and "propertyNames" not in node:
            assert node.get("additionalProperties") is False, path


def test_required_and_allowed_come_from_cerberus(schema):
    assert {"year", "status", "department", "units", "prior_year", "procurement",
            "assets"} <= set(schema["required"])
    assert "performance" not in schema["required"]  # the Shanxi profile's requirement
    assert "control_totals" not in schema["required"]
    unit = schema["properties"]["units"]["items"]
    assert unit["properties"]["kind"]["enum"] == ["行政单位", "参公事业单位", "事业单位"]
    assert schema["properties"]["units"]["minItems"] == 1
    assert schema["properties"]["department"]["properties"]["code"]["pattern"] == "^(?:[0-9]{3,6})(?![\\s\\S])"
    assert schema["$defs"]["project"]["required"] == ["name", "function", "category", "funding"]


def generate_with(cerberus_edit=None, descriptions_edit=None) -> dict:
    cerberus = load_schema()  # the cerberus schema with generator.vocabulary's lists put in
    descriptions = copy.deepcopy(json_schema._read_yaml("descriptions.yaml"))
    if cerberus_edit:
        cerberus_edit(cerberus)
    if descriptions_edit:
        descriptions_edit(descriptions)
    return json_schema._Generator(cerberus, descriptions, load_catalogs()).schema()


def test_a_change_to_the_cerberus_schema_changes_the_json_schema():
    def add_kind(cerberus):
        cerberus["units"]["schema"]["schema"]["kind"]["allowed"].append("企业")
    schema = generate_with(add_kind)
    assert "企业" in schema["properties"]["units"]["items"]["properties"]["kind"]["enum"]


def test_a_key_without_description_fails_generation():
    def add_key(cerberus):
        cerberus["procurement"]["schema"]["imported"] = {"type": "amount"}
    with pytest.raises(ValueError, match="缺少说明：file: procurement.imported"):
        generate_with(add_key)


def test_a_description_of_no_key_fails_generation():
    def stale(descriptions):
        descriptions["file"]["procurement.imported"] = "进口产品"
    with pytest.raises(ValueError, match="说明没有对应的键：file: procurement.imported"):
        generate_with(descriptions_edit=stale)


def test_a_cerberus_rule_without_json_equivalent_fails_generation():
    def coerce(cerberus):
        cerberus["year"]["coerce"] = "int"
    with pytest.raises(ValueError, match="coerce"):
        generate_with(coerce)


def test_a_renamed_catalogue_position_fails_generation():
    def rename(cerberus):
        block = cerberus["units"]["schema"]["schema"]["basic"]["valuesrules"]["schema"]
        block["by_func"] = block.pop("by_function")
    with pytest.raises(ValueError, match="units.basic.\\*.by_function"):
        generate_with(rename, lambda d: d["file"].update(
            {"units.basic.*.by_func": d["file"].pop("units.basic.*.by_function")}))


def test_budget_schema_reports_a_broken_generation_without_traceback(monkeypatch, capsys):
    def broken():
        raise ValueError("schema/descriptions.yaml 与 schema/budget.schema.yaml 不一致：缺少说明：x")
    monkeypatch.setattr(json_schema, "text", broken)
    assert cli.main(["schema"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "缺少说明" in err and "Traceback" not in err


# ---- both examples pass; an editor underlines the common mistakes ------------------------------

@pytest.mark.parametrize("path", [SEED_YAML, JIAOYU_YAML], ids=lambda p: p.name)
def test_example_budgets_are_valid(validator, path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/budget.schema.json\n")
    assert errors(validator, text) == []


@pytest.mark.parametrize("old, new, where", [
    ("  region: 泽州县", "  regoin: 泽州县", "department"),                   # misspelt key
    ("    kind: 行政单位", "    kind: 行政机关", "units/0/kind"),                # unknown unit kind
    ("基本支出成本: {≤: 基本支出}", "基本支出成本: {≦: 基本支出}",               # wrong indicator sign
     "performance/indicators/产出指标/成本指标/基本支出成本"),
    ('"30201 办公费": 117000', '"30201 办公费": "117000"', "by_economic/30201 办公费"),  # quoted
    ('"30201 办公费": 117000', '"30201 办公费": 117,000', "by_economic/30201 办公费"),
    ('"30201 办公费": 117000', '"30201 办公费": -117000', "by_economic/30201 办公费"),
    ('"30201 办公费": 117000', '"30201 办公经费": 117000', "by_economic"),     # name ≠ catalogue
    ('"2014001 行政运行": 2140340', '"2014001 行政运行费": 2140340', "by_function"),
    ('"2014001 行政运行": 2140340', '"20140 信访事务": 2140340', "by_function"),  # a 款, not a 项
    ('"30107 绩效工资": "50501 工资福利支出"', '"30107 绩效工资": "50201 办公经费"',
     "government_economic/30107 绩效工资"),                                   # not in the mapping
    ("year: 2026\n", 'year: "2026"\n', "year"),
    ("status: draft ", "status: 草稿 ", "status"),
    ('as_of: "2025-12-31"', 'as_of: "2025-02-30"', "assets/as_of"),
    ('as_of: "2025-12-31"', "as_of: 2025年12月31日", "assets/as_of"),
    ("funding: {一般公共预算: 84000}", "funding: {一般公共预算资金: 84000}", "funding"),
    ("attribute: 经常性项目(长期开展)\n          period_years: 99\n          funds:\n"
     "            implementation: {central: 0, provincial: 0, local: 34512",
     "attribute: 经常性项目（长期开展）\n          period_years: 99\n          funds:\n"
     "            implementation: {central: 0, provincial: 0, local: 34512", "attribute"),
    ("      领导用车: 0\n", "      领导车: 0\n", "by_category"),                # not a category
    ("      可持续影响:\n        人才队伍建设", "      可持续发展影响:\n        人才队伍建设",
     "performance/indicators/效益指标"),
])
def test_editor_underlines_the_mistake(validator, old, new, where):
    found = errors(validator, edit(seed_text(), old, new))
    assert found, f"{new!r} was not refused"
    assert any(where in e for e in found), found


def test_control_totals_in_yuan_or_wan(validator):
    text = (JIAOYU_YAML.read_text(encoding="utf-8"))
    assert errors(validator, text) == []
    for good in ("4366.51万元", "43665060", "43665060.5"):
        assert errors(validator, edit(text, "  一般公共预算: 4366.51万元", f"  一般公共预算: {good}")) == []
    for bad in ("4366.51万", "4366.51 元", '"43665060"', "04366.51万元"):
        found = errors(validator, edit(text, "  一般公共预算: 4366.51万元", f"  一般公共预算: {bad}"))
        assert any("control_totals/一般公共预算" in e for e in found), bad


def test_text_that_an_editor_reads_as_a_number_or_boolean_is_still_text(validator):
    # `budget check` keeps every value as the text written: a plain 13800000000 or yes is text
    text = edit(seed_text(), 'sign_off: {filed_at: "20251020121705"}',
                "sign_off: {filed_at: 20251020121705, phone: 13800000000}")
    text = edit(text, "绩效管理制度健全性: 健全", "绩效管理制度健全性: yes")
    assert errors(validator, text) == []


# ---- catalogue codes: completion lists, and exactly the mistakes budget check calls errors -----

def fake_catalogs(complete: bool):
    function = SimpleNamespace(
        codes={"201": "一般公共服务支出", "20140": "信访事务", "2014001": "行政运行",
               "2014004": "信访业务"},
        info={"20140": {"complete": True}} if complete else {})
    department = SimpleNamespace(codes={"302": "商品和服务支出", "30201": "办公费"})
    government = SimpleNamespace(codes={"502": "机关商品和服务支出", "50201": "办公经费"})
    return SimpleNamespace(function=function, economic_department=department,
                           economic_government=government,
                           mapping={"30201": {"机关": "50201", "事业单位": "50201"}})


@pytest.mark.parametrize("complete", [False, True])
def test_function_codes(complete):
    defs, mapping = json_schema._catalogue_defs(fake_catalogs(complete))
    item = jsonschema.Draft202012Validator(defs["function_item"])
    assert defs["function_item"]["anyOf"][0]["enum"] == ["2014001 行政运行", "2014004 信访业务"]
    assert item.is_valid("2014001 行政运行")
    for wrong in ("2014001 行政运行费", "2014001行政运行", "20140 信访事务", "201 一般公共服务支出",
                  "2014001", "2019901 其他", "行政运行"):
        assert not item.is_valid(wrong), wrong
    # a 项 the catalogue lacks: budget check warns (catalog-unlisted) under a 款 not listed
    # complete, and the editor accepts it; under a complete 款 both refuse it
    assert item.is_valid("2014005 信访督查") is not complete
    assert mapping["properties"]["30201 办公费"]["enum"] == ["50201 办公经费"]


def test_real_catalogue_codes(validator, schema):
    catalogs = load_catalogs()
    enum = schema["$defs"]["function_item"]["anyOf"][0]["enum"]
    assert len(enum) == sum(len(code) == 7 for code in catalogs.function.codes)
    assert "2014001 行政运行" in enum and "2014004 信访业务" in enum
    economic = schema["$defs"]["economic_department_item"]["enum"]
    assert "30201 办公费" in economic and len(economic) == sum(
        len(code) == 5 for code in catalogs.economic_department.codes)
    keys = schema["$defs"]["economic_department_item"]["pattern"]
    assert keys == "^[0-9]{5} \\S" and schema["$defs"]["function_item"]["pattern"] == "^[0-9]{7} \\S"


# ---- agreement with budget check over the corpus of bad budgets -------------------------------

MANIFEST = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
SCHEMA_STAGE = ("schema", "catalog-", "duplicate-code", "yaml-not-mapping")
# What the schema stage of budget check refuses and the JSON Schema cannot see, and why.
NOT_SEEN = {
    "yaml11-octal-amount.yaml": "YAML 1.1 reads 010000 as the number 4096 (a YAML 1.2 editor: 10000)",
    "yaml11-sexagesimal-amount.yaml": "YAML 1.1 reads 1:30 as the number 90",
    "yaml11-hex.yaml": "YAML reads 0x10 as the number 16",
    "yaml11-underscore.yaml": "YAML 1.1 reads 1_000 as the number 1000",
    "yaml11-nan.yaml": ".nan is a number that no bound excludes",
    "amount-over-precise.yaml": "at most two decimals cannot be said of a float reliably",
    "code-function-wrong-parent.yaml": "a 项 the catalogue lacks under an open 款: its name is "
                                       "budget check's to judge (another 款's 项 name)",
    "code-mapping-absent-entry.yaml": "government_economic names a 款 by_economic lacks: a relation "
                                      "between two mappings",
}
STAGE_CASES = [c for c in MANIFEST["cases"]
               if c["rule"].startswith(SCHEMA_STAGE) and c["severity"] == "error"]
# files the schema stage passes: those of the rules, the warnings (a text cut by " #", a 项
# the catalogue may lack) and the harmless texts
VALID_CASES = [c for c in MANIFEST["cases"] if c["rule"] in {r.id for r in RULES}
               or c["severity"] == "warning"] + MANIFEST["harmless_text"]


@pytest.mark.parametrize("case", STAGE_CASES, ids=[c["file"] for c in STAGE_CASES])
def test_json_schema_refuses_what_the_schema_stage_refuses(validator, case):
    found = errors(validator, (CORPUS / case["file"]).read_text(encoding="utf-8"))
    if case["file"] in NOT_SEEN:
        assert found == [], f"now refused: remove {case['file']} from NOT_SEEN"
    else:
        assert found, f"{case['file']} ({case['rule']}) was not refused"


@pytest.mark.parametrize("case", VALID_CASES, ids=[c["file"] for c in VALID_CASES])
def test_json_schema_accepts_every_file_the_schema_stage_accepts(validator, case):
    assert errors(validator, (CORPUS / case["file"]).read_text(encoding="utf-8")) == []
