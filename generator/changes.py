"""Which budgets a change concerns: the one place that decides it (`budget diff --git`, the
Makefile's pr-* targets and the pre-commit hook all ask here, through `budget changed`).

A budget is budgets/**/*.yaml|yml.  A change to a budget concerns that budget; a change to
anything every budget is checked and rendered with (SHARED_INPUTS: the schema and catalogues,
the templates, the code, the pinned environment) concerns every budget, changed or not.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass

SHARED_INPUTS = ("schema/", "templates/", "generator/", "Makefile", "requirements.lock",
                 "pyproject.toml")
BUDGETS = "budgets/"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's tree with nothing in it


@dataclass
class Change:
    pairs: list[tuple[str | None, str | None]]  # (old "REV:budgets/..yaml" or None if added,
    #                                               new path or None if deleted)
    shared: list[str]  # changed files that every budget depends on; [] when only budgets changed


def is_budget(path: str) -> bool:
    return path.startswith(BUDGETS) and path.endswith((".yaml", ".yml"))


def is_shared(path: str) -> bool:
    return any(path.startswith(p) if p.endswith("/") else path == p for p in SHARED_INPUTS)


def _git(*args: str) -> str:
    # core.quotePath=false: a file named in Chinese is listed as it is, not as "\346\263…"
    result = subprocess.run(["git", "-c", "core.quotePath=false", *args],
                            capture_output=True, encoding="utf-8", errors="surrogateescape")
    if result.returncode:
        raise ValueError(f"git {args[0]} 失败：{result.stderr.strip() or result.returncode}")
    return result.stdout


def _commit(base: str, staged: bool) -> str:
    """The commit `base` names (its id: no later git command can read it as an option)."""
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                             f"{base}^{{commit}}"], capture_output=True, encoding="utf-8")
    if result.returncode == 0:
        return result.stdout.strip()
    if subprocess.run(["git", "rev-parse", "--git-dir"], capture_output=True).returncode:
        raise ValueError("当前文件夹不在 git 仓库中，无法比较版本")
    if staged and base == "HEAD":  # the first commit: everything staged is new
        return EMPTY_TREE
    raise ValueError(f"“{base}”不是 git 中的版本（分支、标签或提交）")


def changes(base: str, staged: bool = False) -> Change:
    """What changed since the revision `base`: in the working tree, like `git diff base`
    (uncommitted edits included); with `staged`, in the index, like `git diff --cached base`,
    and the new side of each pair is then the staged version ":path"."""
    commit = _commit(base, staged)
    fields = _git("diff", "--name-status", "--no-renames", "-z",
                  *(["--cached"] if staged else []), commit, "--").split("\0")[:-1]
    status = dict(zip(fields[1::2], fields[0::2]))  # {path: "A" | "D" | "M" | …}
    shared = [p for p in status if is_shared(p)]
    changed = [p for p in status if is_budget(p)]
    new_side = ":" if staged else ""
    if not shared:
        return Change([(None if status[p] == "A" else f"{base}:{p}",
                        None if status[p] == "D" else new_side + p) for p in changed], [])
    before = {p for p in _git("ls-tree", "-r", "-z", "--name-only", commit, "--",
                              BUDGETS).split("\0") if is_budget(p)}
    after = (before | {p for p in changed if status[p] == "A"}) - \
        {p for p in changed if status[p] == "D"}
    return Change([(f"{base}:{p}" if p in before else None, new_side + p if p in after else None)
                   for p in sorted(before | after)], shared)


def describe(change: Change) -> str:
    """The lines `budget changed` prints (see cmd_changed in generator.cli)."""
    lines = [f"shared {p}" for p in change.shared]
    for old, new in change.pairs:
        lines.append(f"budget {new.lstrip(':')}" if new
                     else f"deleted {old[old.index(':' + BUDGETS) + 1:]}")
    return "".join(f"{line}\n" for line in lines)
