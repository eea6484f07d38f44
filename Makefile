# Civic — the two commands: `make run` (install, migrate, seed the demo, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
FLASK   = $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install translations migrate seed run test test-postgres bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages --statistics 2>&1 | tail -n 2

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: translations seed
	$(FLASK) run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/pytest $(PYTEST_ARGS)

# Extract UI strings and merge them into the catalogues (then translate the new msgids).
messages: install
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations -D messages

bench: translations
	$(BIN)/python bench/requests.py
	$(BIN)/python bench/threads.py
	$(BIN)/python bench/meetings_calendar.py
	$(BIN)/python bench/meetings_poll.py
	$(BIN)/python bench/uploads.py
	$(BIN)/python bench/designs.py
	$(BIN)/python bench/voting.py

clean:
	rm -rf $(VENV) .pytest_cache
