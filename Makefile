# Two commands set up everything on a fresh machine:  make pdf  and  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages WeasyPrint needs beyond the base image: the pinned CJK fonts (their
# SHA-256 is checked again by generator/pdf.py) and HarfBuzz's subsetter (without it fonts are
# subset by fontTools: about 4x slower, and the bytes change from run to run).
SYSTEM_PACKAGES := fonts-noto-cjk=1:20220127+repack1-1 libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUDGETS := $(wildcard budgets/*/*.yaml)
PDFS := $(patsubst budgets/%.yaml,build/%.pdf,$(BUDGETS))
HTMLS := $(patsubst budgets/%.yaml,build/%.html,$(BUDGETS))
# A budget is rebuilt when it, a template, the schema or the code changed.
INPUTS := $(STAMP) $(wildcard templates/*.* templates/*/*.* schema/*.* schema/*/*.* generator/*.py)

.PHONY: all check pdf html test bench system-deps clean

all: pdf

# The virtual environment, with every package pinned in requirements.lock.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s "$${p%%=*}" >/dev/null 2>&1 || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

check: $(STAMP)
	$(BIN)/budget check budgets/

pdf: $(PDFS)
html: $(HTMLS)

build/%.pdf: budgets/%.yaml $(INPUTS) | system-deps
	$(BIN)/budget build $< --format pdf --out build

build/%.html: budgets/%.yaml $(INPUTS)
	$(BIN)/budget build $< --format html --out build

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

clean:
	rm -rf build

bench: $(STAMP) system-deps
	$(BIN)/python -m generator.bench
