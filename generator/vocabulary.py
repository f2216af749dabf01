"""The words a budget is written in, each list written once.

The cerberus schema (schema/budget.schema.yaml) takes its allowed values and fixed keys from
here by name — `allowed: "vocabulary:SOURCES"`, or a key `"vocabulary:THREE_PUBLIC": {rules}`
standing for one key per item (generator.schema.load_schema resolves them) — and the model,
the tables, the narrative and the messages use the same names and labels.
"""
from __future__ import annotations

# 收入来源 (funding sources) as the national standard distinguishes them; the first three are
# 财政拨款. 单位资金 is Shanxi's word for the non-fiscal sources together: a budget that knows only
# that total writes 单位资金, one that knows the split writes 事业收入, 其他收入, … (a profile whose
# tables show the split then needs it; see templates/<profile>/profile.yaml `sources`).
SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "事业收入",
           "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "单位资金")
FISCAL_SOURCES = SOURCES[:3]
GENERAL = SOURCES[0]
# Named groups of sources, for a profile's columns and rows: “财政拨款”, Shanxi's “单位资金”
SOURCE_GROUPS = {"财政拨款": FISCAL_SOURCES, "单位资金": SOURCES[4:]}

# 单位性质; the 公用经费 of the first two is 机关运行经费
UNIT_KINDS = ("行政单位", "参公事业单位", "事业单位")
ADMINISTRATIVE_KINDS = UNIT_KINDS[:2]

STATUSES = ("draft", "final")  # draft prints 仅供内部审核 on every page

# “三公”经费: the key in the YAML and the item's name
THREE_PUBLIC_NAMES = {"outbound_travel": "因公出国（境）费", "reception": "公务接待费",
                      "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费"}
THREE_PUBLIC = tuple(THREE_PUBLIC_NAMES)
# the 部门预算支出经济分类 款 of each item: the basic-expenditure lines that pay for it
THREE_PUBLIC_ECONOMIC = {"outbound_travel": "30212", "reception": "30217",
                         "vehicle_purchase": "31013", "vehicle_operation": "30231"}

# 项目资金 rows of a 绩效目标表: key, label on the form, and whether the key must be written
PROJECT_FUND_ROWS = (("central", "中央财政资金"), ("provincial", "省级财政资金"),
                     ("local", "市、县(区)财政资金"), ("self_raised", "单位自筹"), ("other", "其他资金"))
REQUIRED_PROJECT_FUNDS = ("central", "provincial", "local", "self_raised")
OPTIONAL_PROJECT_FUNDS = tuple(k for k, _ in PROJECT_FUND_ROWS if k not in REQUIRED_PROJECT_FUNDS)

PROJECT_CATEGORIES = ("其他运转类", "特定目标类")  # in the order the narrative lists them
PROJECT_ATTRIBUTES = ("一次性项目(1年结束)", "经常性项目(长期开展)", "阶段性项目")

# 车辆类别: every category any profile counts (each profile lists its own, in its order)
VEHICLE_CATEGORIES = ("领导用车", "部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车",
                      "执法执勤用车", "特种专业技术用车", "事业单位业务用车", "离退休干部用车",
                      "其他公务用车", "其他用车")

# Reasons of the “三公” changes, item by item, as some standards explain them: the key of the
# reason and the items whose amounts it explains (vehicles: purchase and operation together)
THREE_PUBLIC_REASONS = {"outbound_travel": ("outbound_travel",), "reception": ("reception",),
                        "vehicles": ("vehicle_purchase", "vehicle_operation"),
                        "vehicle_purchase": ("vehicle_purchase",),
                        "vehicle_operation": ("vehicle_operation",)}

# The 30 类 of 支出功能分类 that 表一 and 表四 always list, in this order.
EXPENDITURE_CLASSES = (
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
    "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230",
    "231", "232", "233", "234")
