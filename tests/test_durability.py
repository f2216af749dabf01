"""Nothing lost: output is written atomically, a killed build leaves the last good file as it
was (and its leftovers are cleaned up by the next build), the tool never writes into budgets/,
and the same input gives the same bytes whatever the locale, time zone or SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BUDGET_EXE, JIAOYU_YAML, ROOT, SEED_YAML, seed_text, write
from generator import build as build_module
from generator import cli
from generator.build import build_one, write_atomically
from generator.pdf import FONT_DIR

PYTHON = BUDGET_EXE.parent / "python"


def budget(*args, cwd=None, env=None, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BUDGET_EXE), *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, encoding="utf-8")
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def font_copies() -> set[str]:
    """The folders of WeasyPrint's font copies: build/fonts/.copies-* (generator.pdf) and its
    own default, /tmp/weasyprint-*, which a killed build would leave behind."""
    return ({p.name for p in FONT_DIR.glob(".copies-*")}
            | {p.name for p in Path(tempfile.gettempdir()).glob("weasyprint-*")})


def stale_font_copies() -> list[str]:
    """Font-copy folders no running build holds (their lock can be taken)."""
    stale = []
    for lock in FONT_DIR.glob(".copies-*.lock"):
        with open(lock, "ab") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            stale.append(lock.name)
    return stale


# ---- atomic writes ------------------------------------------------------------------------

@pytest.mark.parametrize("failing", ["os.fsync", "os.replace", "write"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "2026" / "x.pdf"
    write_atomically(target, b"old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":  # the disk fills up half-way
        fdopen = os.fdopen
        monkeypatch.setattr(build_module.os, "fdopen", lambda fd, mode: _FailingFile(fdopen(fd, mode)))
    else:
        monkeypatch.setattr(build_module.os, failing.split(".")[1], fail)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.pdf"]


class _FailingFile:
    """A file whose write fails half-way: some bytes reach the temporary file, then ENOSPC."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        self.f.write(b"partial")
        raise OSError(28, "No space left on device")


def test_a_written_file_is_complete_and_readable_by_all(tmp_path):
    target = tmp_path / "a" / "b.html"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.html"]


# ---- killed builds ------------------------------------------------------------------------

def test_a_build_killed_at_any_moment_leaves_the_last_good_pdf(tmp_path):
    """SIGKILL `budget build --format pdf` at several moments of its run: the PDF is the last
    good one, byte for byte; leftovers of a kill (a temporary output file, the copies of the
    fonts WeasyPrint makes) are removed by the next build."""
    copies = font_copies()
    out = tmp_path / "out"
    pdf = out / "2026" / "zezhou-xinfang.pdf"
    command = [str(BUDGET_EXE), "build", str(SEED_YAML), "--format", "pdf", "--out", str(out)]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    good = pdf.read_bytes()
    assert good.startswith(b"%PDF-") and good.rstrip().endswith(b"%%EOF")
    for fraction in (0.15, 0.5, 0.8, 0.95):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert pdf.read_bytes() == good, f"killed after {fraction:.0%} of a build"
        names = {p.name for p in pdf.parent.iterdir()}
        assert names - {"zezhou-xinfang.pdf"} == set(temporaries(pdf.parent))
    subprocess.run(command, check=True, capture_output=True)
    assert pdf.read_bytes() == good
    assert temporaries(pdf.parent) == []
    assert stale_font_copies() == [] and font_copies() <= copies


def test_a_build_killed_while_writing_leaves_a_temporary_the_next_build_removes(tmp_path):
    """Deterministically killed inside write_atomically (its fsync made to hang): the final
    file is untouched, the temporary is left, and the next `budget build` removes it."""
    path = write(tmp_path / "budgets" / "2026", seed_text(), "x.yaml")
    out = tmp_path / "out"
    budget("build", path, "--format", "html", "--out", out)
    html = out / "2026" / "x.html"
    good = html.read_bytes()
    hang = ("import os, sys, time\n"
            "from generator import build, cli\n"
            "os.fsync = lambda fd: (print('writing', flush=True), time.sleep(60))\n"
            "sys.exit(cli.main(sys.argv[1:]))\n")
    process = subprocess.Popen([str(PYTHON), "-c", hang, "build", path, "--format", "html",
                                "--out", str(out)], stdout=subprocess.PIPE, text=True)
    try:
        while "writing" not in process.stdout.readline():
            assert process.poll() is None, "the build ended before writing"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert html.read_bytes() == good
    left = temporaries(html.parent)
    assert len(left) == 1 and left[0].startswith(".x.html.")
    assert (html.parent / left[0]).stat().st_size > 0  # a partial file, never named x.html
    budget("build", path, "--format", "html", "--out", out)
    assert temporaries(html.parent) == [] and html.read_bytes() == good


def test_only_this_files_older_temporaries_are_removed(tmp_path, monkeypatch):
    """Removed: .<name>.XXXXXXXX.tmp older than the process. Kept: one newer (a concurrent
    build writing it), another output's, and names write_atomically never makes."""
    path = write(tmp_path, seed_text(), "x.yaml")
    folder = tmp_path / "out" / "2026"
    folder.mkdir(parents=True)
    names = {".x.html.ab_cd123.tmp": "old", ".x.html.zz99zz99.tmp": "new",
             ".y.html.ab_cd123.tmp": "old", ".x.html.short.tmp": "old",
             "x.html.ab_cd123.tmp": "old", ".x.html.ab_cd123.tmp.keep": "old",
             ".x.redline.html.ab_cd123.tmp": "old"}
    for name, age in names.items():
        (folder / name).write_bytes(b"partial")
        if age == "old":
            past = build_module.STARTED - 3600
            os.utime(folder / name, (past, past))
    monkeypatch.setattr(build_module, "STARTED", time.time() - 1)  # this process began now
    os.utime(folder / ".x.html.zz99zz99.tmp")  # written since
    ok, message = build_one(path, tmp_path / "out", ["html"])
    assert ok, message
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n for n in names if n != ".x.html.ab_cd123.tmp"] + ["x.html"])


# ---- the tool never writes into budgets/ --------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository laid out like this one, with both example budgets committed."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    (repo / "budgets" / "2026").mkdir(parents=True)
    for source in (SEED_YAML, JIAOYU_YAML):
        shutil.copy2(source, repo / "budgets" / "2026" / source.name)
    shutil.copy2(ROOT / ".gitattributes", repo / ".gitattributes")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=预算科", "-c", "user.email=y@example.org", "-c",
                  "commit.gpgsign=false", "commit", "-q", "-m", "预算"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    return repo


def snapshot(folder: Path) -> dict:
    """Every file and folder below `folder` (and itself): bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None,
                                         p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


def test_no_command_writes_into_budgets(repo):
    before = snapshot(repo / "budgets")
    seed, jiaoyu = "budgets/2026/zezhou-xinfang.yaml", "budgets/2026/zezhou-jiaoyu.yaml"
    time.sleep(0.01)  # a write now would show as a newer modification time
    budget("check", "budgets/", cwd=repo)
    budget("check", "--format", "json", seed, cwd=repo)
    budget("check", "--format", "github", jiaoyu, cwd=repo)
    budget("build", "budgets/", "--format", "html", "--out", "build", cwd=repo)
    budget("build", seed, "--redline", "HEAD", "--out", "build", cwd=repo)
    budget("diff", seed, jiaoyu, cwd=repo)
    budget("diff", f"HEAD:{seed}", seed, "--format", "json", cwd=repo)
    budget("diff", "--git", "HEAD", "--format", "markdown", cwd=repo)
    budget("show", seed, cwd=repo)
    budget("show", f"HEAD:{jiaoyu}", cwd=repo)
    for out in ("budgets", "budgets/2026", "budgets/../budgets/new", "./budgets/2026/out"):
        refused = budget("build", seed, "--format", "html", "--out", out, cwd=repo, check=False)
        assert refused.returncode == 1 and "不能写入 budgets/" in refused.stderr, refused.stderr
    assert snapshot(repo / "budgets") == before
    assert (repo / "build" / "2026" / "zezhou-xinfang.redline.html").is_file()
    assert sorted(p.name for p in (repo / "build" / "2026").iterdir()) == [
        "zezhou-jiaoyu.html", "zezhou-xinfang.html", "zezhou-xinfang.redline.html"]


def test_build_refuses_an_out_folder_inside_budgets(tmp_path, monkeypatch, capsys):
    project = tmp_path / "budgets" / "clone"  # a clone kept under a folder named budgets
    path = write(project / "budgets" / "2026", seed_text(), "x.yaml")
    (project / "link").symlink_to(project / "budgets" / "2026")
    monkeypatch.chdir(project)
    for out in ("budgets", "budgets/2026/out", "link/out", str(project / "budgets"),
                "budgets/2026/../../budgets"):
        assert cli.main(["build", path, "--format", "html", "--out", out]) == 1
        err = capsys.readouterr().err
        assert "生成的文件不能写入 budgets/" in err and out in err
    assert sorted(p.name for p in (project / "budgets" / "2026").iterdir()) == ["x.yaml"]
    # anywhere else is fine, in the clone under …/budgets/clone too
    assert cli.main(["build", path, "--format", "html", "--out", "build"]) == 0
    assert (project / "build" / "2026" / "x.html").is_file()
    monkeypatch.chdir(project / "budgets")  # a relative --out from inside budgets/ still counts
    assert cli.main(["build", "2026/x.yaml", "--format", "html", "--out", "build"]) == 1


# ---- reproducible output ------------------------------------------------------------------

def _locales() -> set[str]:
    result = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return {name.lower().replace("utf-8", "utf8") for name in result.stdout.split()}


def test_the_same_input_gives_the_same_bytes_in_any_environment(tmp_path):
    """HTML and PDF built in two processes that differ in locale, time zone, SOURCE_DATE_EPOCH,
    hash seed, working folder and output folder are byte-identical."""
    chinese = "zh_CN.UTF-8" if "zh_cn.utf8" in _locales() else "C"  # else: plain ASCII C
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LC_", "LANG", "TZ", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED"))}
    sides = [
        ({**base, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC", "PYTHONHASHSEED": "0"},
         ROOT, [str(SEED_YAML.relative_to(ROOT)), str(JIAOYU_YAML.relative_to(ROOT))],
         tmp_path / "one"),
        ({**base, "LC_ALL": chinese, "LANG": chinese, "TZ": "Asia/Shanghai",
          "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "4242"},
         tmp_path, [str(SEED_YAML), str(JIAOYU_YAML)], tmp_path / "two" / "输出"),
    ]
    # the HTML of both examples, then the seed's PDF (the slow part); both sides at once
    for paths, fmt in (([0, 1], "html"), ([0], "pdf")):
        processes = [subprocess.Popen([str(BUDGET_EXE), "build", *[files[i] for i in paths],
                                       "--format", fmt, "--out", str(out)], cwd=cwd, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for env, cwd, files, out in sides]
        for process in processes:
            stdout, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stdout + stderr
    one, two = (sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
                for _, _, _, out in sides)
    assert one == two and len(one) == 3, (one, two)
    for name in one:
        first, second = (sides[0][3] / name).read_bytes(), (sides[1][3] / name).read_bytes()
        assert first == second, f"{name} differs between the two environments"
