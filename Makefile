# Two commands set up everything on a fresh machine:  make pdf  and  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages WeasyPrint needs beyond the base image: the pinned CJK fonts (their
# SHA-256 is checked again by generator/pdf.py) and HarfBuzz's subsetter (without it fonts are
# subset by fontTools: about 4x slower, and the bytes change from run to run).
SYSTEM_PACKAGES := fonts-noto-cjk=1:20220127+repack1-1 libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# For the tests only: Debian's chromium, driven by Playwright in tests/test_browser.py (not
# pinned: Debian replaces it with each security update, and an old version leaves the mirror).
TEST_SYSTEM_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SCHEMA_JSON := schema/budget.schema.json
# `budget build` decides what to rebuild, by content, not by file times (which a CI checkout
# does not keep): a budget is rendered again only when it, its prior-year file, a template, the
# schema, a catalogue, the code or the lock file changed (generator/cache.py, build/cache/),
# JOBS budgets at a time (default: the cores this machine gives us).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

.PHONY: all check fonts pdf html site serve test bench system-deps test-deps clean git-setup pr-check pr-pdf pr-diff

all: pdf

# The virtual environment, with every package pinned in requirements.lock.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Install the Debian packages of $(PACKAGES) that are missing.
define install_missing
	@missing=$$(for p in $(1); do dpkg -s "$${p%%=*}" >/dev/null 2>&1 || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call install_missing,$(SYSTEM_PACKAGES))

test-deps: system-deps
	$(call install_missing,$(TEST_SYSTEM_PACKAGES))

check: $(STAMP) $(SCHEMA_JSON)
	$(BIN)/budget check budgets/

# The pinned faces, whole and their common parts, into build/fonts (generator/pdf.py): about a
# minute, once per machine, before anything is timed or built in parallel.
fonts: $(STAMP) | system-deps
	@$(BIN)/python -c "from generator.pdf import ensure_fonts; ensure_fonts()"

pdf: $(STAMP) $(SCHEMA_JSON) fonts
	$(BIN)/budget build budgets/ --format pdf --out build --jobs $(JOBS)

html: $(STAMP) $(SCHEMA_JSON)
	$(BIN)/budget build budgets/ --format html --out build --jobs $(JOBS)

# the public site: build/site/index.html, each year's departments, each region's totals, and
# every budget's HTML, PDF, spreadsheet and open data (generator/site.py); through the same
# cache, so a budget added or edited is the only one built again
site: $(STAMP) $(SCHEMA_JSON) fonts
	$(BIN)/budget site budgets/ --out build/site --jobs $(JOBS)

# a local preview that follows each save: http://127.0.0.1:8000/ (generator/serve.py)
serve: $(STAMP) $(SCHEMA_JSON) fonts
	$(BIN)/budget serve budgets/

test: $(STAMP) test-deps fonts
	$(BIN)/python -m pytest -q

clean:
	rm -rf build

bench: $(STAMP) fonts
	$(BIN)/python -m generator.bench

# ---- git: reading budget diffs, checking before each commit -------------------------------
# `git diff` of a budget shows the published document's lines (table rows in 元, sentences of
# 第三部分) through `budget show` (.gitattributes: diff=budget); the hunk headers name the table.
# The pre-commit hook checks the staged budgets; an existing different hook is not replaced.
HOOK := generator/hooks/pre-commit

git-setup: $(STAMP)
	git config diff.budget.textconv "$(abspath $(BIN))/budget show"
	git config diff.budget.cachetextconv false
	git config diff.budget.xfuncname '^(表[一二三四五六七八九十]+ .*|第三部分 [^:]*|绩效目标表 [^:]*)'
	@target=$$(git rev-parse --git-path hooks/pre-commit) && mkdir -p "$$(dirname "$$target")"; \
	hooks_path=$$(git config core.hooksPath); \
	if [ -n "$$hooks_path" ]; then \
	  echo "git-setup：core.hooksPath=$$hooks_path，git 不用 .git/hooks：没有安装 pre-commit 钩子。" >&2; \
	  echo "  用 pre-commit 框架的话，.pre-commit-config.yaml 已含 budget check。" >&2; exit 1; \
	elif cmp -s $(HOOK) "$$target"; then \
	  echo "pre-commit 钩子已是最新：$$target"; \
	elif [ ! -e "$$target" ] || grep -q '^# budget-disclosure pre-commit hook' "$$target"; then \
	  cp $(HOOK) "$$target" && chmod +x "$$target" && echo "已安装 pre-commit 钩子：$$target"; \
	else \
	  echo "git-setup：$$target 是另一个钩子，没有覆盖它。" >&2; \
	  echo "  把它改名或合并进 $(HOOK) 后重新运行 make git-setup；" >&2; \
	  echo "  用 pre-commit 框架的话，.pre-commit-config.yaml 已含 budget check。" >&2; exit 1; \
	fi

# ---- pull requests: make pr-check|pr-pdf|pr-diff BASE=origin/main (locally e.g. BASE=HEAD~1) --
# Compared with the merge base of BASE and HEAD (so what BASE gained since the branch left it
# is not shown as this branch's doing), working-tree edits included.  Which budgets that
# concerns is decided by generator/changes.py (`budget changed`): the changed ones, or every
# budget when a file they all depend on changed (schema/, templates/, generator/, Makefile,
# requirements.lock, pyproject.toml).  $changes: a temporary file of its records "KIND PATH\0"
# (`budget changed -z`: a name may hold a line break); pick KIND: the paths of that kind,
# NUL-terminated, for `xargs -0 … --` (a name with a space is one file, one starting with "-"
# no option); count KIND: how many ($budgets, $shared); shown: such a list for a message, a
# line break written \n; $why: which shared files changed.  BASE reaches the recipes only
# through the environment, as "$$BASE": a $(BASE) in a recipe's text would be run by the
# shell (BASE='$$(…)', '`…`' or 'x"; …').
BASE ?= origin/main
export BASE
PR_OUT := build/pr
# This checkout's code, schema and templates: `python -m` imports ./generator first.
BUDGET_CLI := $(BIN)/python -m generator.cli
PR_FILES = base=$$(git merge-base --end-of-options "$$BASE" HEAD) || { \
	  printf '%s\n' "$@：BASE=$$BASE 不是当前分支可比较的 git 版本（CI 中要 fetch-depth: 0）" >&2; exit 2; }; \
	changes=$$(mktemp) || exit 2; trap 'rm -f "$$changes"' EXIT; trap 'exit 2' HUP INT TERM; \
	$(BUDGET_CLI) changed -z "$$base" > "$$changes" || exit 2; \
	pick() { sed -zn "s/^$$1 //p" "$$changes"; }; \
	count() { pick "$$1" | tr -cd '\0' | wc -c; }; \
	shown() { sed -z 's/\n/\\n/g; s/^/ /' | tr -d '\0'; }; \
	budgets=$$(count budget); shared=$$(count shared); \
	why="改动了所有预算共用的文件$$(pick shared | head -zn 1 | shown)$$([ $$shared -gt 1 ] && echo " 等 $$shared 个")"

# `budget check --format github` of the budgets concerned: annotations on their lines in the
# pull request; fails on errors.
pr-check: $(STAMP)
	@$(PR_FILES); \
	if [ $$budgets = 0 ]; then printf '%s\n' "自 $$BASE 以来没有改动的预算文件：无需检查"; exit 0; fi; \
	if [ $$shared != 0 ]; then printf '%s\n' "$$why：检查全部 $$budgets 个预算文件"; \
	else printf '%s\n' "检查自 $$BASE 以来改动的预算文件：$$(pick budget | shown)"; fi; \
	pick budget | xargs -0 $(BUDGET_CLI) check --format github --

# The PDFs of the budgets concerned and their redline HTML against the merge base, into
# $(PR_OUT)/<year>/ (older ones there are removed first).  A budget with errors gets no PDF,
# but still its redline, which lists the errors on top and marks them in the tables; the
# target then fails.
pr-pdf: $(STAMP) | system-deps
	@$(PR_FILES); \
	mkdir -p $(PR_OUT) && find $(PR_OUT) \( -name '*.pdf' -o -name '*.html' \) -delete; \
	if [ $$budgets = 0 ]; then printf '%s\n' "自 $$BASE 以来没有改动的预算文件：没有要生成的 PDF"; exit 0; fi; \
	if [ $$shared != 0 ]; then printf '%s\n' "$$why：生成全部 $$budgets 个预算文件的 PDF 和修订对照页"; fi; \
	pick budget | xargs -0 $(BUDGET_CLI) build --format pdf --out $(PR_OUT) --; pdf=$$?; \
	pick budget | xargs -0 $(BUDGET_CLI) build --redline "$$base" --out $(PR_OUT) --; \
	redline=$$?; \
	if [ $$pdf != 0 ] || [ $$redline != 0 ]; then \
	  echo "pr-pdf：有错误的预算没有生成 PDF（见上）；能读入的预算仍生成了修订对照页" \
	    "$(PR_OUT)/<年度>/<名称>.redline.html，错误列在页首、标在表中。" >&2; exit 1; fi

# $(PR_OUT)/diff.md: what changed in the published documents, for the pull-request comment
# (its first line is the marker the workflow finds that comment by).
pr-diff: $(STAMP)
	@$(PR_FILES); \
	mkdir -p $(PR_OUT); \
	if [ $$shared != 0 ]; then printf '%s\n' "$$why：比较全部 $$budgets 个预算文件" >&2; fi; \
	{ echo '<!-- budget-diff -->'; \
	  if [ $$budgets = 0 ] && [ $$(count deleted) = 0 ]; then \
	    printf '%s\n' "自 \`$$BASE\` 以来没有改动的预算文件。"; \
	  else $(BUDGET_CLI) diff --git "$$base" --format markdown; fi; \
	} > $(PR_OUT)/diff.md.tmp || { rm -f $(PR_OUT)/diff.md.tmp; exit 2; }; \
	mv $(PR_OUT)/diff.md.tmp $(PR_OUT)/diff.md && cat $(PR_OUT)/diff.md && \
	echo "（已写入 $(PR_OUT)/diff.md）" >&2

# ---- editors: schema/budget.schema.json, the JSON Schema of a budget file -------------------
# Generated by `budget schema` from schema/budget.schema.yaml, schema/descriptions.yaml and the
# catalogues; run after changing any of them (tests/test_json_schema.py fails until then).
# `make pdf`, `make html` and `make check` bring it up to date too, so that a catalogue addition
# and its JSON Schema are committed together; an unchanged result only refreshes the file's time.
.PHONY: schema
schema: $(SCHEMA_JSON)

$(SCHEMA_JSON): $(STAMP) schema/budget.schema.yaml schema/descriptions.yaml \
		$(wildcard schema/catalogs/*.yaml schema/catalogs/function/*.yaml) \
		generator/json_schema.py generator/schema.py generator/catalog.py
	@$(BUDGET_CLI) schema > $@.tmp || { rm -f $@.tmp; exit 1; }
	@if cmp -s $@.tmp $@; then rm $@.tmp && touch $@; \
	else mv $@.tmp $@ && echo "已更新 $@（编辑器用的 JSON Schema，请一并提交）" >&2; fi
