"""`budget site`: every department's disclosure as one static site, with open data.

    <out>/index.html                  the years
    <out>/<year>/index.html           each region's departments: figures, status, files
    <out>/<year>/<stem>.html|.pdf     the disclosure (as `budget build` makes it)
    <out>/<year>/<stem>.xlsx          its tables as printed, one sheet each
    <out>/<year>/<stem>.data/         a CSV per table, budget.json, datapackage.json
    <out>/<year>/汇总-<region>.html    the region's departments added up (.xlsx and .data/ too)

Each budget goes through the build cache, so running it again rebuilds only the budgets whose
inputs changed; the index and totals pages, which depend on all of them, are made again each
time (a fraction of a second) and written only when they differ. Files of budgets that are
gone, or no longer build, are removed: the site shows what budgets/ holds now.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from . import opendata
from .build import build, out_folder_problem, planned_outputs, write_if_changed
from .check import check
from .county import FIGURES, Department, Region, regions
from .files import os_problem
from .findings import one_line
from .grid import grids
from .render import TEMPLATE_DIR, environment

FORMATS = ("html", "pdf", "xlsx", "data")
MARKER = ".budget-site"  # in the folder's root: what tells a site folder we may clean


def _asset(name: str) -> str:
    return (TEMPLATE_DIR / "site" / name).read_text(encoding="utf-8")


def _page(template: str, **context) -> bytes:
    script = _asset("site.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    html = environment("site").get_template(template).render(
        css=Markup(_asset("site.css")), script=Markup(script),
        script_hash=f"sha256-{digest}", redline=None, **context)
    return html.encode("utf-8")


def region_stem(region: Region) -> str:
    """汇总-泽州县: the file name of a region's totals (anything but letters, digits, “-” and
    “_” in the region's name becomes “_”)."""
    return "汇总-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in region.name)


def _region_files(region: Region, out: Path) -> dict[Path, bytes]:
    """The totals page of a region, its spreadsheet and its open data."""
    from .xlsx import workbook

    stem = region_stem(region)
    tables = region.tables()
    links = {"xlsx": quote(f"{stem}.xlsx"), "data": quote(f"{stem}.data")}
    page = _page("region.html.j2", year=region.year, tables=tables, region={
        "name": region.name, "departments": region.departments, **links,
        "drafts": sum(d.budget.status == "draft" for d in region.departments)})
    printed = grids(page.decode("utf-8"))
    label = "表{}".format
    keys = {t.number: t.key for t in tables}
    doc = {"region": region.name, "year": region.year, "unit": "元",
           "departments": [{"name": d.budget.name, "code": d.budget.department.get("code") or "",
                            "draft": d.budget.status == "draft", "file": Path(d.path).name,
                            **d.figures} for d in region.departments],
           "tables": opendata.tables(printed, label, keys)}
    folder = out / str(region.year)
    files = {folder / f"{stem}.html": page,
             folder / f"{stem}.xlsx": workbook(printed, [label(g.number) for g in printed],
                                               f"{region.name}{region.year}年部门预算汇总")}
    # a Data Package's name is plain ASCII: the region's by a hash of its name
    ascii_name = f"totals-{hashlib.sha256(region.name.encode('utf-8')).hexdigest()[:8]}"
    # every figure of every department, read back exactly from the budget.json just written
    documents = [json.loads((folder / f"{d.stem}.data" / opendata.DOCUMENT).read_text(
        encoding="utf-8"), parse_float=Decimal, parse_int=Decimal) for d in region.departments]
    data = opendata.files(printed, doc, label, keys, every_figure=documents,
                          name=opendata.package_name(ascii_name, region.year),
                          title=f"{region.name}{region.year}年部门预算汇总",
                          description=f"{len(region.departments)} 个部门的预算逐笔相加；金额为元，精确到分。")
    files.update({folder / f"{stem}.data" / name: content for name, content in data.items()})
    return files


def problems(all_regions: list[Region]) -> dict[tuple, list[str]]:
    """{(year, region): messages} of the regions that get no totals: a department counted
    twice, or a totals file name that another region's, or a budget's, already is."""
    found = {(r.year, r.name): r.duplicates() for r in all_regions}
    taken: dict[tuple, str] = {}
    for region in all_regions:
        for d in region.departments:
            taken[(region.year, d.stem)] = f"预算文件 {one_line(d.path)}"
    for region in all_regions:
        key = (region.year, region_stem(region))
        if key in taken:
            found[(region.year, region.name)].append(
                f"{region.name}的汇总文件名 {region_stem(region)} 已被{taken[key]}使用，未生成汇总；"
                "请给其中一个改名")
        taken[key] = f"地区“{region.name}”"
    return found


def _year_page(year: int, year_regions: list[Region], refused: dict) -> bytes:
    listed = []
    for region in year_regions:
        stem = region_stem(region)
        messages = refused[(region.year, region.name)]
        listed.append({
            "name": region.name, "problems": messages,
            "page": None if messages else quote(f"{stem}.html"),
            "xlsx": quote(f"{stem}.xlsx"), "data": quote(f"{stem}.data"),
            "totals": list(region.totals().values()),
            "departments": [{
                "name": d.budget.name, "code": d.budget.department.get("code") or "",
                "status": d.budget.status, "draft": d.budget.status == "draft",
                "figures": list(d.figures.values()),
                **{fmt: quote(f"{d.stem}.{fmt}") for fmt in FORMATS}}
                for d in region.departments]})
    return _page("year.html.j2", year=year, regions=listed, labels=list(FIGURES.values()))


def _folder_problem(out: Path) -> str | None:
    problem = out_folder_problem(out)
    if problem:
        return problem
    if any(out.iterdir()) and not (out / MARKER).exists():
        return ("这个文件夹里已有别的文件，不是 budget site 生成的；网站会删除其中过时的文件，"
                "请换一个新的或空的文件夹")
    return None


def _remove_stale(out: Path, keep: set[Path]) -> None:
    """Remove, in each year folder, the outputs of budgets that are gone or failed."""
    for folder in out.iterdir():
        if not (folder.is_dir() and folder.name.isdigit()):
            continue
        for item in folder.iterdir():
            if item in keep or item.name.startswith("."):
                continue
            if item.is_dir() and item.suffix == ".data":
                shutil.rmtree(item, ignore_errors=True)
            elif item.is_file() and item.suffix in (".html", ".pdf", ".xlsx"):
                item.unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()


def _pages(all_regions: list[Region], out: Path, refused: dict) -> dict[Path, bytes]:
    """{file: bytes} of the index pages and of each region's totals (none for a region with
    problems)."""
    files: dict[Path, bytes] = {}
    by_year: dict[int, list[Region]] = {}
    for region in all_regions:
        if not refused[(region.year, region.name)]:
            files.update(_region_files(region, out))
        by_year.setdefault(region.year, []).append(region)
    for year, year_regions in by_year.items():
        files[out / str(year) / "index.html"] = _year_page(year, year_regions, refused)
    files[out / "index.html"] = _page("index.html.j2", years=[
        {"year": year, "regions": [{"name": r.name, "departments": r.departments}
                                   for r in year_regions]}
        for year, year_regions in by_year.items()])
    return files


def site(paths: list[str], out: Path, jobs: int = 1) -> int:
    """Build every budget of `paths` into `out` with its spreadsheet and open data, then the
    index pages and each region's totals; 1 when a budget failed or a region has a
    department twice (that region gets no totals), else 0."""
    problem = _folder_problem(out)
    if problem:
        print(f"budget site：无法写入 {one_line(out)}：{problem}", file=sys.stderr)
        return 2
    (out / MARKER).touch()
    built: dict[str, bool] = {}
    status = build(paths, out, FORMATS, jobs=jobs, results=built)
    departments = []
    for path in paths:
        budget, derived, _ = check(path, None) if built.get(path) else (None, None, None)
        if budget is not None:  # (None: the file changed into a bad one since it was built)
            departments.append(Department(path, Path(path).stem, budget, derived))
    all_regions = regions(departments)
    refused = problems(all_regions)
    for message in (m for messages in refused.values() for m in messages):
        print(f"budget site：{message}", file=sys.stderr)
        status = 1
    try:
        files = _pages(all_regions, out, refused)  # (reads the departments' budget.json just written)
    except OSError as exc:
        print(f"budget site：无法读取 {one_line(exc.filename or out)}：{os_problem(exc)}",
              file=sys.stderr)
        return 1
    changed = 0
    for path, data in files.items():
        try:
            changed += write_if_changed(path, data)
        except OSError as exc:  # the disk full, a folder in the way: no page is half written
            print(f"budget site：无法写入 {one_line(path)}：{os_problem(exc)}", file=sys.stderr)
            return 1
    keep = {target for d in departments
            for target in planned_outputs(d.path, out, FORMATS, False, None).values()}
    _remove_stale(out, keep | set(files) | {p.parent for p in files if p.parent.suffix == ".data"})
    years = {region.year for region in all_regions}
    print(f"budget site：{len(departments)} 个部门，{len(years)} 个年度；更新了 {changed} 个索引和"
          f"汇总文件，其余未变：{one_line(out / 'index.html')}", file=sys.stderr)
    return status
