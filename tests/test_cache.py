"""The build cache, the worker pool and shards: an unchanged budget is never rendered again,
an edited one always is and its PDF is what a cold build gives, byte for byte."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, edit, seed_text, write
from generator.build import in_shard


def build(*args: str, cache=None, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUDGET_CACHE": str(cache) if cache else "off"}
    return subprocess.run([str(BUDGET_EXE), "build", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


def test_an_unchanged_budget_comes_from_the_cache_and_an_edited_one_is_built_again(tmp_path):
    folder = tmp_path / "budgets" / "2026"
    budget = write(folder, seed_text(), "zezhou-xinfang.yaml")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(budget, "--out", str(out), cache=cache)
    assert first.returncode == 0, first.stderr
    pdf = out / "2026" / "zezhou-xinfang.pdf"
    cold = pdf.read_bytes()
    os.utime(budget, (time.time() + 60, time.time() + 60))  # a newer file time changes nothing
    pdf.unlink()
    second = build(budget, "--out", str(out), cache=cache)
    assert "（输入未变，取自缓存）" in second.stdout and pdf.read_bytes() == cold
    # one figure edited: built again, and the PDF is what a cold build of the edited file gives
    write(folder, edit(seed_text(), '"2014001 行政运行": 2140340', '"2014001 行政运行": 2141340')
          .replace('"30101 基本工资": 919190', '"30101 基本工资": 920190'), "zezhou-xinfang.yaml")
    third = build(budget, "--out", str(out), cache=cache)
    assert third.returncode == 0, third.stderr
    assert "取自缓存" not in third.stdout and pdf.read_bytes() != cold
    edited = pdf.read_bytes()
    assert build(budget, "--out", str(tmp_path / "cold")).returncode == 0  # no cache at all
    assert (tmp_path / "cold" / "2026" / "zezhou-xinfang.pdf").read_bytes() == edited


def test_the_key_holds_the_prior_year_file_and_the_shared_inputs(tmp_path, monkeypatch):
    from generator import cache
    folder = tmp_path / "budgets" / "2026"
    budget = write(folder, seed_text(), "zezhou-xinfang.yaml")
    before = cache.key(budget, ["pdf"], None)
    assert cache.key(budget, ["html"], None) != before and cache.key(budget, ["pdf"], "mof") != before
    prior = edit(edit(seed_text(), "year: 2026", "year: 2025"), 'as_of: "2025-12-31"', 'as_of: "2024-12-31"')
    write(tmp_path / "budgets" / "2025", prior, "zezhou-xinfang.yaml")
    assert cache.key(budget, ["pdf"], None) != before  # rule prior-year-file reads it
    # the same budget in another checkout of the same code: the same key
    other = write(tmp_path / "elsewhere" / "budgets" / "2026", seed_text(), "zezhou-xinfang.yaml")
    assert cache.key(other, ["pdf"], None) == before
    monkeypatch.setattr(cache, "shared_fingerprint", lambda: "a template changed")
    assert cache.key(other, ["pdf"], None) != before


def test_a_template_change_makes_new_keys_for_every_budget(tmp_path):
    from generator import cache
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "generator", copy / "generator")
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "schema", copy / "schema")
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from generator import cache; "
             "print(cache.shared_fingerprint())")
    run = lambda: subprocess.run([str(ROOT / ".venv/bin/python"), "-c", probe, str(copy)],  # noqa: E731
                                 capture_output=True, text=True, check=True).stdout
    before = run()
    assert before.strip() == cache.shared_fingerprint()  # where the checkout is does not count
    with open(copy / "templates" / "print.css", "a", encoding="utf-8") as f:
        f.write("\n/* a change */\n")
    assert run() != before


def test_jobs_build_every_budget_as_one_process_does(tmp_path):
    folder = tmp_path / "budgets" / "2026"
    folder.mkdir(parents=True)
    for source in (SEED_YAML, JIAOYU_YAML):
        shutil.copy(source, folder / source.name)
    one = build(str(folder), "--format", "html", "--jobs", "1", "--out", str(tmp_path / "one"))
    two = build(str(folder), "--format", "html", "--jobs", "2", "--out", str(tmp_path / "two"))
    assert one.returncode == two.returncode == 0, two.stderr
    for name in ("zezhou-xinfang.html", "zezhou-jiaoyu.html"):
        assert (tmp_path / "one" / "2026" / name).read_bytes() == \
            (tmp_path / "two" / "2026" / name).read_bytes()
    assert "共 2 个预算：2 个完成，0 个失败" in two.stderr and "（2 个进程）" in two.stderr
    assert len([line for line in two.stdout.splitlines() if " 完成（" in line]) == 2


def test_shards_are_disjoint_and_cover_every_budget():
    paths = [f"budgets/{year}/budget-{n}.yaml" for year in (2025, 2026) for n in range(500)]
    for count in (1, 2, 3, 7):
        shards = [{p for p in paths if in_shard(p, (i, count))} for i in range(1, count + 1)]
        assert set().union(*shards) == set(paths)
        assert sum(len(s) for s in shards) == len(paths)  # no budget in two shards
        assert all(len(s) > len(paths) / count / 2 for s in shards)  # roughly even
    assert in_shard("./budgets/2026/budget-1.yaml", (1, 3)) == in_shard("budgets/2026/budget-1.yaml", (1, 3))


def test_a_shard_builds_only_its_budgets(tmp_path):
    folder = tmp_path / "budgets" / "2026"
    names = [f"b{n}.yaml" for n in range(6)]
    for name in names:
        write(folder, seed_text(), name)
    built = set()
    for i in (1, 2):
        result = build("budgets", "--format", "html", "--shard", f"{i}/2", "--jobs", "1",
                       "--out", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        now = {p.name for p in (tmp_path / "out" / "2026").glob("*.html")}
        assert not (now - built) & built
        built |= now
    assert built == {n.replace(".yaml", ".html") for n in names}
    assert build("budgets", "--shard", "3/2", cwd=tmp_path).returncode == 2
