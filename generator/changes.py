"""Which budgets a change concerns: the one place that decides it (`budget diff --git`, the
Makefile's pr-* targets and the pre-commit hook all ask here, through `budget changed`).

A budget is budgets/**/*.yaml|yml.  A change to a budget concerns that budget; a change to
anything every budget is checked and rendered with (SHARED_INPUTS: the schema and catalogues,
the templates, the code, the pinned environment) concerns every budget, changed or not.

Git is asked with -z (any file name comes through as it is), with rename detection, and from
the repository's top; what the user typed reaches it only as described under git() below.
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
    # (old "REV:budgets/..yaml" or None if added, new path or None if deleted), paths from the
    # repository's top; a budget git sees renamed is one pair, its old path and its new one
    pairs: list[tuple[str | None, str | None]]
    shared: list[str]  # changed files that every budget depends on; [] when only budgets changed


def is_budget(path: str) -> bool:
    return path.startswith(BUDGETS) and path.endswith((".yaml", ".yml"))


def is_shared(path: str) -> bool:
    return any(path.startswith(p) if p.endswith("/") else path == p for p in SHARED_INPUTS)


# ---- running git ----------------------------------------------------------------------------
# Every git command of this package runs through git() (or, to stream a file, the same
# arguments): whatever the user typed follows "--end-of-options" or "--", or is a commit id
# from resolve(), so git never reads a revision or a path as one of its options.

def git(*args: str, cwd: str | None = None) -> str:
    """git's output; ValueError (in Chinese) when it fails."""
    # core.quotePath=false: a file named in Chinese is listed as it is, not as "\346\263…"
    result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd,
                            capture_output=True, encoding="utf-8", errors="surrogateescape")
    if result.returncode:
        raise ValueError(f"git {args[0]} 失败：{result.stderr.strip() or result.returncode}")
    return result.stdout


def toplevel() -> str:
    """The repository's top folder: git lists paths from there and reads "REV:path" from there."""
    try:
        return git("rev-parse", "--show-toplevel").rstrip("\n")
    except ValueError:
        raise ValueError("当前文件夹不在 git 仓库中，无法比较版本") from None


def resolve(revision: str, kind: str = "commit") -> str | None:
    """The id of the commit (or tree) `revision` names, None if it names none.  Later git
    commands get this id, which they cannot read as an option."""
    if revision.startswith("-"):  # no branch or tag is named so: a mistyped option
        return None
    try:
        return git("rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{revision}^{{{kind}}}").strip()
    except ValueError:
        return None


def not_a_revision(revision: str) -> str:
    """Why `revision` is no version, in Chinese; in a shallow clone, that older ones are missing."""
    try:
        shallow = git("rev-parse", "--is-shallow-repository").strip() == "true"
    except ValueError:
        shallow = False
    return f"“{revision}”不是 git 中的版本（分支、标签或提交）" + (
        "；这是浅克隆（shallow clone），较早的提交不在本地，可先 git fetch --unshallow"
        if shallow else "")


def why_unreadable(spec: str) -> str:
    """Why git cannot give the file "REV:path" (":path": the staged one), in Chinese."""
    revision, _, path = spec.partition(":")
    try:
        toplevel()
    except ValueError:
        return f"当前文件夹不在 git 仓库中（也没有名为 {spec} 的文件）"
    if revision and not resolve(revision, "tree"):
        return not_a_revision(revision)
    where = f"版本 {revision} 中" if revision else "暂存区中"
    try:
        kind = git("cat-file", "-t", "--end-of-options", spec).strip()
    except ValueError:
        return f"{where}没有 {path}"
    if kind == "blob":  # there, but git could not give it
        return f"git 读取{where}的 {path} 失败"
    return f"{where}的 {path} 是文件夹，不是文件" if kind == "tree" else \
        f"{where}的 {path} 不是文件（{kind}）"


# ---- what changed ---------------------------------------------------------------------------

def _commit(base: str, staged: bool) -> str:
    """The id of the commit `base` names."""
    commit = resolve(base)
    if commit:
        return commit
    if staged and base == "HEAD":  # the first commit: everything staged is new
        return EMPTY_TREE
    raise ValueError(not_a_revision(base))


def _changed_paths(top: str, commit: str, staged: bool) -> list[tuple[str | None, str | None]]:
    """(path at `commit` or None, path now or None) of every changed file, from the top; a
    file git sees renamed is one pair.  Listed with -z: any name comes through as it is."""
    fields = iter(git("diff", "--name-status", "-z", "-M", *(["--cached"] if staged else []),
                      "--end-of-options", commit, "--", cwd=top).split("\0")[:-1])
    pairs = []
    for status in fields:
        old = new = next(fields)
        if status[0] in "RC":  # renamed or copied: the old path, then the new one
            new = next(fields)
        if status[0] == "R" and not (is_budget(old) and is_budget(new)):
            pairs += [(old, None), (None, new)]  # into or out of budgets/: gone and new
        else:
            pairs.append((None if status[0] in "AC" else old, None if status[0] == "D" else new))
    if not staged:  # a new budget not yet `git add`ed is a working-tree change too
        pairs += [(None, p) for p in git("ls-files", "--others", "--exclude-standard", "-z",
                                         "--", BUDGETS, cwd=top).split("\0")[:-1]]
    return pairs


def changes(base: str, staged: bool = False) -> Change:
    """What changed since the revision `base`: in the working tree, like `git diff base`
    (uncommitted edits and untracked budgets included); with `staged`, in the index, like
    `git diff --cached base`, and the new side of each pair is then the staged version
    ":path".  Paths are from the repository's top, wherever it is run (see diff_git)."""
    top = toplevel()
    commit = _commit(base, staged)
    changed = _changed_paths(top, commit, staged)
    shared = list(dict.fromkeys(p for pair in changed for p in pair if p and is_shared(p)))
    pairs = [(o, n) for o, n in changed if is_budget(o or n)]
    if shared:  # every budget is concerned: the unchanged ones too
        seen = {p for pair in pairs for p in pair}
        pairs += [(p, p) for p in git("ls-tree", "-r", "-z", "--name-only", commit, "--",
                                      BUDGETS, cwd=top).split("\0")
                  if is_budget(p) and p not in seen]
    # "BASE:path" as the user named BASE, unless that name holds a ":" (git would misread it)
    name = commit if ":" in base else base
    new_side = ":" if staged else ""
    return Change([(f"{name}:{o}" if o else None, new_side + n if n else None)
                   for o, n in sorted(pairs, key=lambda pair: pair[1] or pair[0])], shared)


def path_of(old: str) -> str:
    """The path of a pair's old side "REV:path" (whose REV holds no ":", see changes())."""
    return old.partition(":")[2]


def describe(change: Change, nul: bool = False) -> str:
    """The records `budget changed` prints (see cmd_changed in generator.cli): a line each,
    a line break in a path written as \\n so that no name makes a line of its own; with `nul`
    ending in "\\0" instead, the paths as they are (for programs: a name holds no NUL)."""
    from .findings import one_line

    lines = [f"shared {p}" for p in change.shared]
    for old, new in change.pairs:
        new = new and new.lstrip(":")
        old = old and path_of(old)
        if new:
            lines.append(f"budget {new}")
        if old and old != new:  # deleted, or renamed: no longer there under that name
            lines.append(f"deleted {old}")
    return "".join(f"{line}\0" if nul else f"{one_line(line)}\n" for line in lines)
