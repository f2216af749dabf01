"""`budget serve`: the preview follows an edit — findings and HTML at once, then the PDF, which
is byte for byte what `budget build` makes of the edited file; it serves nothing else."""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import BUDGET_EXE, edit, seed_text, write

EDIT = (('"2014001 行政运行": 2140340', '"2014001 行政运行": 2141340'),
        ('"30101 基本工资": 919190', '"30101 基本工资": 920190'))


@pytest.fixture
def server(tmp_path):
    budget = write(tmp_path / "budgets" / "2026", seed_text(), "zezhou-xinfang.yaml")
    process = subprocess.Popen([str(BUDGET_EXE), "serve", "budgets", "--port", "0", "--out", "out"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline()  # 预览：http://127.0.0.1:PORT/（Ctrl-C 停止）
    assert "http://127.0.0.1:" in line, line + process.stderr.read()
    url = line.split("：", 1)[1].split("/（")[0]
    yield url, budget, tmp_path
    process.terminate()
    process.wait(timeout=30)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def wait_for(url: str, test, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = json.loads(get(url + "/status.json"))["budgets"][0]
        if test(status):
            return status
        time.sleep(0.2)
    raise AssertionError(f"not reached in {seconds} s: {status}")


def test_an_edit_reaches_the_preview_and_its_pdf_equals_a_build(server, tmp_path):
    url, budget, folder = server
    first = wait_for(url, lambda s: s["pdf_state"] == "已生成")
    assert "zezhou-xinfang.yaml" in get(url + "/").decode("utf-8")
    page = get(f"{url}/files/{first['html']}").decode("utf-8")
    assert "214.03" in page and "214.13" not in page
    text = seed_text()
    for old, new in EDIT:
        text = edit(text, old, new)
    write(folder / "budgets" / "2026", text, "zezhou-xinfang.yaml")
    changed = wait_for(url, lambda s: s["version"] > first["version"])
    assert "214.13" in get(f"{url}/files/{changed['html']}").decode("utf-8")
    done = wait_for(url, lambda s: s["pdf_state"] == "已生成" and s["version"] > changed["version"])
    served = get(f"{url}/files/{done['pdf']}")
    env = {**os.environ, "BUDGET_CACHE": "off"}
    subprocess.run([str(BUDGET_EXE), "build", budget, "--format", "pdf", "--out", str(tmp_path / "cold")],
                   check=True, capture_output=True, env=env)
    assert served == (tmp_path / "cold" / "2026" / "zezhou-xinfang.pdf").read_bytes()
    # a mistake: the findings at once, no PDF
    write(folder / "budgets" / "2026", edit(text, "goods: 65200", "goods: 65100"), "zezhou-xinfang.yaml")
    broken = wait_for(url, lambda s: s["errors"] == 1)
    assert broken["pdf_state"] == "有错误，未生成" and "procurement-total" in broken["findings"][0]
    assert "procurement-total" in get(url + "/").decode("utf-8")


@pytest.mark.parametrize("path", ["/files/../../budgets/2026/zezhou-xinfang.yaml",
                                  "/files/%2e%2e/%2e%2e/etc/passwd", "/files/2026",
                                  "/../budgets/2026/zezhou-xinfang.yaml", "/preview/7", "/x"])
def test_nothing_outside_the_output_folder_is_served(server, path):
    url, _, _ = server
    with pytest.raises(urllib.error.HTTPError) as failed:
        get(url + path)
    assert failed.value.code == 404

