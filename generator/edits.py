"""The edits of a budget's YAML between two versions, and what each one changed on its own.

A reviewer sees "46 个数字有变化" and wants the cause: which line of the YAML moved them.  The
edits are found by walking both documents (lists of named items are matched by name, so a
project inserted in the middle is one edit, not a shift of every later one).  What an edit
caused is found by applying it alone to the old version and deriving that document: a change
of the full diff that exactly one edit produces on its own is that edit's; a change produced by
several (or only by edits together) is reported as joint.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .loader import Document

MAX_ATTRIBUTED = 40  # more edits than this: list them, do not derive each one alone
# nor when edits × the values of the file pass this: each edit derives the whole budget again
# (40 edits of a 650-project file took 29 s); a real budget of a few thousand values is far below
MAX_ATTRIBUTION_WORK = 400_000

# The structural keys of the YAML as a reviewer reads them (docs/格式说明.md names them so).
KEY_LABELS = {
    "units": "单位", "basic": "基本支出", "by_function": "按功能分类", "by_economic": "按经济分类",
    "government_economic": "政府经济分类", "projects": "项目", "carryover_projects": "上年结转项目",
    "funding": "资金", "function": "功能分类", "category": "类别", "performance": "绩效目标表",
    "indicators": "绩效指标", "implementation": "实施期", "annual": "年度", "funds": "项目资金",
    "goals": "目标", "staff": "人员", "on_post": "在编在职", "authorized": "编制", "other": "其他人员",
    "three_public_costs": "“三公”经费", "prior_year": "上年数", "change_reasons": "增减原因",
    "control_totals": "控制数", "procurement": "政府采购", "assets": "国有资产",
    "purchased_services": "政府购买服务", "department": "部门", "name": "名称", "kind": "单位类别",
    "duties": "职责", "annual_goal": "年度绩效目标", "strategic_goals": "战略目标",
    "key_tasks": "重点任务", "glossary": "名词解释", "other_notes": "其他说明",
    "sign_off": "签署", "overview": "项目概况", "basis": "立项依据", "necessity": "必要性",
    "safeguards": "保障措施", "plan": "实施计划", "status": "状态", "year": "年度",
}


@dataclass
class Edit:
    """One change of the YAML: a value changed, added or removed (a whole subtree counts once)."""
    parent: tuple  # path, in the OLD document, of the mapping or list the edit is made in
    key: object  # its key there (a list index: in the old list, or where an item is inserted)
    kind: str  # "changed", "added" or "removed"
    label: str  # the path as a reviewer reads it: 单位 › “泽州县信访局” › 基本支出 › … › 30101 基本工资
    old: object  # the old value (scalar text or subtree), None when added
    new: object  # the new value, None when removed
    line: int  # where it is: the new file's line, or the old file's for a removal
    effects: list[str] | None = None  # what it alone changed ("表六 6 格"); None: not derived

    @property
    def change(self) -> Decimal | None:
        """new − old when both are amounts."""
        try:
            if isinstance(self.old, str) and isinstance(self.new, str):
                return Decimal(self.new) - Decimal(self.old)
        except InvalidOperation:
            pass
        return None


def _name(item) -> str | None:
    return str(item["name"]) if isinstance(item, dict) and "name" in item else None


def _named(items: list) -> bool:
    names = [_name(i) for i in items]
    return bool(items) and None not in names and len(set(names)) == len(names)


def _step(key, item=None) -> str:
    if isinstance(key, int):
        return f"“{_name(item)}”" if _name(item) else f"第 {key + 1} 项"
    return KEY_LABELS.get(key, str(key))


def find_edits(old: Document, new: Document) -> list[Edit]:
    edits: list[Edit] = []
    seen: set[tuple[int, int]] = set()  # an alias is the same subtree: one edit, not two

    def where(doc: Document, path: tuple) -> int:
        return doc.where_key(*path).line if path and not isinstance(path[-1], int) \
            else doc.where(*path).line

    def walk(a, b, a_path: tuple, b_path: tuple, label: list[str]):
        if (id(a), id(b)) in seen:
            return
        seen.add((id(a), id(b)))
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(b) + [k for k in a if k not in b]:
                step = label + [_step(key)]
                if key not in a:
                    edits.append(Edit(a_path, key, "added", " › ".join(step), None, b[key],
                                      where(new, b_path + (key,))))
                elif key not in b:
                    edits.append(Edit(a_path, key, "removed", " › ".join(step), a[key], None,
                                      where(old, a_path + (key,))))
                else:
                    walk(a[key], b[key], a_path + (key,), b_path + (key,), step)
        elif isinstance(a, list) and isinstance(b, list):
            if _named(a) and _named(b):  # projects, units…: matched by name
                old_index = {_name(item): i for i, item in enumerate(a)}
                new_names = {_name(item) for item in b}
                gone = {i for i, item in enumerate(a) if _name(item) not in new_names}
                for j, item in enumerate(b):
                    i = old_index.get(_name(item))
                    if i is None and j in gone:  # a new name where a gone one was: renamed
                        gone.remove(j)
                        i = j
                    step = label + [_step(j, item)]
                    if i is None:
                        edits.append(Edit(a_path, j, "added", " › ".join(step), None, item,
                                          where(new, b_path + (j,))))
                    else:
                        walk(a[i], item, a_path + (i,), b_path + (j,), step)
                for i in sorted(gone):
                    edits.append(Edit(a_path, i, "removed", " › ".join(label + [_step(i, a[i])]),
                                      a[i], None, where(old, a_path + (i,))))
                return
            for i in range(max(len(a), len(b))):
                step = label + [_step(i, (b if i < len(b) else a)[i])]
                if i >= len(a):
                    edits.append(Edit(a_path, i, "added", " › ".join(step), None, b[i],
                                      where(new, b_path + (i,))))
                elif i >= len(b):
                    edits.append(Edit(a_path, i, "removed", " › ".join(step), a[i], None,
                                      where(old, a_path + (i,))))
                else:
                    walk(a[i], b[i], a_path + (i,), b_path + (i,), step)
        elif a != b or type(a) is not type(b):
            edits.append(Edit(a_path[:-1], a_path[-1] if a_path else None, "changed",
                              " › ".join(label), a, b, where(new, b_path)))

    walk(old.data, new.data, (), (), [])
    return edits


def _copy(value, memo: dict):
    """A copy of the document tree in which shared (aliased) subtrees stay shared."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        memo[id(value)] = copy = {}
        copy.update((k, _copy(v, memo)) for k, v in value.items())
    elif isinstance(value, list):
        memo[id(value)] = copy = []
        copy.extend(_copy(v, memo) for v in value)
    else:
        return value  # scalars are immutable
    return copy


def applied_alone(old: Document, edit: Edit) -> Document:
    """The old document with only `edit` made (its locations stay the old file's)."""
    data = _copy(old.data, {})
    parent = data
    for key in edit.parent:
        parent = parent[key]
    if edit.kind == "removed":
        del parent[edit.key]
    elif edit.kind == "added" and isinstance(parent, list):
        parent.insert(min(edit.key, len(parent)), edit.new)
    else:
        parent[edit.key] = edit.new
    return Document(old.path, data, old.locations)
