# Stint — the two commands a new user types are `make run` and `make test`.
# Everything a target needs is installed by `make setup` (called by them),
# with sudo only when not already root.

SHELL := /bin/bash
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export STINT_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

# Debian packages the build and tests need: screen capture (xcap links
# xcb, gbm and wayland and generates PipeWire bindings with libclang), a real
# X server and scripted input for the tracker's tests, Chromium for the UI's.
DEB_PACKAGES := pkg-config postgresql-client xvfb xdotool \
	libxcb1-dev libxcb-randr0-dev libgbm-dev libegl-dev libwayland-dev \
	libpipewire-0.3-dev libclang-dev libdbus-1-dev chromium

.PHONY: setup run serve test lint unit ui-test bench clean-test-dbs

setup:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@command -v cargo-nextest >/dev/null 2>&1 || echo "note: cargo-nextest not found; tests run with cargo test"
	@bash scripts/ensure-postgres.sh

# The desktop app is not built yet; until then `make run` starts the server
# a person can sign in to (and the desktop app will embed).
run: setup
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: the desktop app needs one. Starting the server instead (same as 'make serve')."; \
	else \
	  echo "The desktop app is not part of this build yet; starting the server (same as 'make serve')."; \
	fi
	$(CARGO) run -- serve

serve:
	$(CARGO) run -- serve

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit:
	@if command -v cargo-nextest >/dev/null 2>&1; then \
	  $(CARGO) nextest run --workspace --locked --no-fail-fast; \
	else \
	  $(CARGO) test --workspace --locked --no-fail-fast; \
	fi

# The desktop window's web UI (ui/): vitest, the build, then the built UI in
# Debian's Chromium with the Tauri IPC mocked. npm ci only when node_modules
# is missing or older than the lock file.
ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "ui-test needs Node.js (20.19 or newer) and npm"; exit 1; }
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui-test: ui/node_modules/.package-lock.json
	cd ui && npm run --silent test:unit && npm run --silent build && npm run --silent test:browser

test: setup lint unit ui-test

# Release builds, each figure against a baseline measured in the same run;
# results in bench/results/latest.json. Not part of `make test`.
bench: setup
	bash bench/run.sh
