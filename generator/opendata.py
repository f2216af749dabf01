"""Open data: each table of a disclosure as CSV, the whole budget as one JSON document, and a
Data Package descriptor (frictionless specs, https://specs.frictionlessdata.io/) over them.

Figures are exact 元 (5429652, 1234.5: the amount as the budget adds it up), whatever unit the printed table uses (万元 in Shanxi):
open data is for computing, and a sum of rounded 万元 is not the sum. Each figure column's
name says so: “本年收入/合计（元）”. The columns are the printed table's, one per printed column,
named by the header cells over it joined with “/”; the rows are the printed rows, in order.

CSV files are UTF-8 without a byte-order mark: they are for programs (and the Data Package
says their encoding); a reader who wants a spreadsheet has the .xlsx beside them, laid out as
printed, which Excel opens without the mis-decoding a BOM-less CSV gets in Chinese Excel.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from decimal import Decimal

from .grid import Grid

DESCRIPTOR = "datapackage.json"
DOCUMENT = "budget.json"
# the kinds of column (the <col> classes of the printed table) that hold figures
FIGURE_KINDS = {"num"}


def _columns(grid: Grid) -> list[tuple[str, bool]]:
    """(name, is a figure column) of each column, names unique (a Table Schema needs it)."""
    kinds = grid.columns or [""] * grid.width
    names, seen = [], {}
    for label, kind in zip(grid.column_labels(), kinds):
        figure = kind in FIGURE_KINDS
        name = (label or f"第{len(names) + 1}列") + ("（元）" if figure else "")
        seen[name] = seen.get(name, 0) + 1
        names.append((name if seen[name] == 1 else f"{name}（{seen[name]}）", figure))
    return names


def rows(grid: Grid) -> list[list]:
    """The printed body rows, a value per column: text, an exact Decimal in 元, or None. A
    label spanning columns (合计 over 科目编码 and 科目名称) goes into the last of them, the name;
    a cell spanning rows is given in its first row only."""
    table = []
    for line in grid.placed(grid.body):
        values: list = [None] * grid.width
        for column, cell in line:
            at = min(column + cell.colspan, grid.width) - 1
            values[at] = cell.yuan if cell.figure else (cell.text or None)
        table.append(values)
    return table


def _csv(header: list[str], table: list[list]) -> str:
    """RFC 4180 CSV; a figure exactly as its Decimal (5429652, 1234.5), nothing for None."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for values in table:
        writer.writerow(["" if v is None else f"{v:f}" if isinstance(v, Decimal) else v
                         for v in values])
    return out.getvalue()


def csv_text(grid: Grid) -> str:
    return _csv([name for name, _ in _columns(grid)], rows(grid))


def table_schema(grid: Grid) -> dict:
    fields = []
    for name, figure in _columns(grid):
        field = {"name": name, "type": "number" if figure else "string"}
        if figure:
            field["description"] = (f"单位：元，精确到分（印出的表以{grid.unit}为单位）"
                                    if grid.unit != "元" else "单位：元，精确到分")
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def resource_name(grid: Grid, key: str) -> str:
    """01-summary: the table's number and what it is (generator.tables.Table.key)."""
    return f"{grid.number:02d}-{key.replace('_', '-')}"


def package_name(stem: str, year: int) -> str:
    """A Data Package's name may hold only a-z, 0-9, “.”, “_” and “-”: the file's stem when
    it is such (zezhou-xinfang-2026), else a hash of it (a stem in Chinese)."""
    name = f"{stem}-{year}".lower()
    if re.fullmatch(r"[a-z0-9._-]+", name):
        return name
    return f"budget-{hashlib.sha256(stem.encode('utf-8', 'surrogateescape')).hexdigest()[:12]}-{year}"


def _json(value) -> str:
    """JSON with each Decimal written exactly as a number (json.dumps would need floats,
    which cannot hold every amount up to 10^15 元 to the fen)."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {_json(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def document(budget, derived, grids: list[Grid]) -> dict:
    """The budget as one JSON-ready document: who, which year and standard, and every table
    with its columns and rows (figures in exact 元)."""
    profile = derived.profile
    return {
        "department": budget.name,
        "code": budget.department.get("code") or "",
        "region": budget.department["region"],
        "year": budget.year,
        "standard": profile.name,
        "standard_title": profile.title,
        "draft": budget.status == "draft",
        "unit": "元",
        "tables": tables(grids, profile.label, {n: t.key for n, t in derived.tables.items()}),
    }


def tables(grids: list[Grid], label, keys: dict[int, str]) -> list[dict]:
    """Each table for the JSON document: number, label (表一), key, title, columns, rows."""
    return [{"number": grid.number, "label": label(grid.number), "key": keys[grid.number],
             "title": grid.title, "printed_unit": grid.unit,
             "columns": [name for name, _ in _columns(grid)], "rows": rows(grid),
             "notes": grid.notes} for grid in grids]


def budget_files(budget, derived, grids: list[Grid], stem: str) -> dict[str, bytes]:
    """{file name: bytes} of a budget's open data folder (see files)."""
    draft = "本预算为草稿，仅供内部审核。" if budget.status == "draft" else ""
    return files(grids, document(budget, derived, grids), derived.profile.label,
                 {n: t.key for n, t in derived.tables.items()},
                 name=package_name(stem, budget.year),
                 title=f"{budget.name}{budget.year}年部门预算公开表",
                 description=f"按{derived.profile.title}公开的各表；金额为元，精确到分。{draft}")


LONG_FIELDS = [("部门", "string"), ("部门代码", "string"), ("表", "string"), ("表名", "string"),
               ("行", "string"), ("列", "string"), ("金额（元）", "number")]


def long_rows(documents: list[dict]) -> list[list]:
    """Every figure of the departments' tables (their budget.json documents), one row each:
    部门, 部门代码, 表, 表名, 行, 列, 金额 — the form in which departments are compared. A figure's
    row is named by the text cells on its side of the table (收入 or 支出 of a 收支总表: the
    columns under the same top header), else by all of them."""
    found = []
    for doc in documents:
        for table in doc["tables"]:
            columns = table["columns"]
            figure = [c.endswith("（元）") for c in columns]
            for values in table["rows"]:
                for i, value in enumerate(values):
                    if not figure[i] or value is None:
                        continue
                    side = columns[i].split("/")[0]
                    texts = [v for c, v, f in zip(columns, values, figure)
                             if not f and v and c.split("/")[0] == side]
                    texts = texts or [v for v, f in zip(values, figure) if not f and v]
                    found.append([doc["department"], doc.get("code", ""), table["label"],
                                  table["title"], " ".join(texts),
                                  columns[i].removesuffix("（元）"), value])
    return found


def long_csv(documents: list[dict]) -> tuple[str, dict]:
    """long_rows as CSV, and its Table Schema."""
    return _csv([name for name, _ in LONG_FIELDS], long_rows(documents)), {
        "fields": [{"name": n, "type": t} for n, t in LONG_FIELDS], "missingValues": [""]}


def _csv_resource(name: str, title: str, schema: dict) -> dict:
    """A Data Package resource for the CSV file <name>.csv with its Table Schema."""
    return {"name": name, "path": f"{name}.csv", "title": title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema}


def files(grids: list[Grid], doc: dict, label, keys: dict[int, str], *, name: str,
          title: str, description: str, every_figure: list[dict] | None = None) -> dict[str, bytes]:
    """{file name: bytes} of an open data folder: a CSV per table, the JSON document `doc` and
    the Data Package descriptor that lists them, with their sizes and SHA-256; with
    `every_figure` (departments' documents), also all-figures.csv (long_rows)."""
    out = {DOCUMENT: (_json(doc) + "\n").encode("utf-8")}
    resources = []
    if every_figure is not None:
        text, schema = long_csv(every_figure)
        out["all-figures.csv"] = text.encode("utf-8")
        resources.append(_csv_resource("all-figures", "各部门各表的全部数字（一行一个数字）", schema))
    for grid in grids:
        resource = resource_name(grid, keys[grid.number])
        out[f"{resource}.csv"] = csv_text(grid).encode("utf-8")
        resources.append(_csv_resource(resource, f"{label(grid.number)} {grid.title}",
                                       table_schema(grid)))
    resources.append({"name": "document", "path": DOCUMENT, "title": f"{title}（全部表，JSON）",
                      "format": "json", "mediatype": "application/json", "encoding": "utf-8"})
    for resource in resources:
        data = out[resource["path"]]
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor = {"profile": "data-package", "name": name, "title": title,
                  "description": description, "resources": resources}
    out[DESCRIPTOR] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return out
