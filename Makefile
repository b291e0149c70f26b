# Two commands a newcomer needs:  `make run`  and  `make test`.
# Both create .venv on first use and install everything the project needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU build of PyTorch. Installed before the project so that pip never pulls a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test bench screenshots screenshots-zh translations install sysdeps clean

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=23"
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Debian packages for the tests in a real X11 window (Xvfb, xdotool, Qt's X11 libraries):
# installed where apt-get can, else the tests that need them are skipped (with the reason).
sysdeps: install
	bash scripts/install_system_packages.sh $(PY)

# The project's bytecode is compiled as pip compiles an installed package's: where
# PYTHONDONTWRITEBYTECODE is set, each start would otherwise compile ~120 modules (0.2 s).
run: install
	$(PY) -m compileall -q viewer
	$(PY) -m viewer

# Two runs: everything below the UI with Qt blocked (it must not need Qt), then the UI tests.
test: install sysdeps
	$(PY) -m ruff check --quiet viewer tests benchmarks scripts
	CNN_VIEWER_TESTS_WITHOUT_QT=1 $(PY) -m pytest -q -p no:cacheprovider -p no:pytest-qt --ignore=tests/ui tests
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/ui

bench: install
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks --json bench.json

screenshots: install
	QT_QPA_PLATFORM=offscreen $(PY) scripts/make_screenshots.py

# The Chinese README's pictures (docs/screenshots/zh_CN/, 1280x800), with a CJK font installed first.
screenshots-zh: install
	bash scripts/install_cjk_font.sh
	QT_QPA_PLATFORM=offscreen $(PY) scripts/make_screenshots.py --lang zh_CN window resnet_channel resnet_bn resnet_block resnet_pooling pooling_lab

# After changing or adding a user-visible string: update the .ts (new strings come in unfinished),
# translate them (docs/glossary.md has the course's terms), run it again to compile the .qm.
translations: install
	$(PY) scripts/translations.py

clean:
	rm -rf $(VENV) build *.egg-info
