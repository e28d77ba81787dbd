# Stint — the two commands a new user types are `make run` and `make test`.
# Everything a target needs is installed by `make setup` (called by them),
# with sudo only when not already root.

SHELL := /bin/bash
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export STINT_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

# Debian packages the build and tests need: screen capture (xcap links
# xcb, gbm and wayland and generates PipeWire bindings with libclang), a real
# X server and scripted input for the tracker's tests, Chromium for the UI's,
# WebKitGTK and the tray for the desktop app (Tauri).
DEB_PACKAGES := pkg-config postgresql-client xvfb xdotool \
	libxcb1-dev libxcb-randr0-dev libgbm-dev libegl-dev libwayland-dev \
	libpipewire-0.3-dev libclang-dev libdbus-1-dev chromium \
	libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev \
	librsvg2-dev libxdo-dev libssl-dev libxss-dev python3-venv systemd

.PHONY: setup run serve test lint unit ui-test ui-dist package bench clean-test-dbs soak schemathesis

setup:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@command -v cargo-nextest >/dev/null 2>&1 || echo "note: cargo-nextest not found; tests run with cargo test"
	@bash scripts/ensure-postgres.sh
	@bash scripts/ensure-moto.sh >/dev/null

# The desktop app with its embedded server; without a display, the server
# alone (what `make serve` starts).
run: setup ui-dist
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): the desktop app needs one."; \
	  echo "Starting the server instead, as 'make serve' does; sign in to it from a desktop with the app."; \
	  $(CARGO) run -- serve; \
	else \
	  $(CARGO) run -p stint-app; \
	fi

serve:
	$(CARGO) run -- serve

# The desktop app embeds the built UI (src-tauri's frontendDist), so
# compiling it needs ui/dist first. It also leaves PostgreSQL out (the
# `sqlite`/`postgres` features of stint-store and stint-server): the
# sqlite-only builds must keep compiling warning-free, and nothing may bring
# sqlx's PostgreSQL driver back into the app.
lint: ui-dist
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p stint-store -p stint-server --no-default-features --features sqlite --all-targets --locked -- -D warnings
	$(CARGO) clippy -p stint-app --locked -- -D warnings
	@if $(CARGO) tree -p stint-app -e features --locked | grep -iE 'postgres|object_store|metrics'; then \
	  echo "stint-app links PostgreSQL, object storage or metrics: take stint-server with default-features = false, features = [\"sqlite\"]"; exit 1; fi

unit: ui-dist
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

ui-dist: ui/node_modules/.package-lock.json
	cd ui && npm run --silent build

ui-test: ui/node_modules/.package-lock.json
	cd ui && npm run --silent test:unit && npm run --silent build && npm run --silent test:browser

test: setup lint unit ui-test schemathesis

# A .deb of the desktop app, built with the size profile `app` (Cargo.toml):
# the Tauri CLI hands what follows `--` to cargo and bundles from target/app/.
# The CLI comes from npm, pinned, fetched by npx (not in ui/'s lock file: its
# per-platform binaries would make `npm ci` fail on every other platform).
TAURI_CLI := npx --yes @tauri-apps/cli@2.12.5
package: setup ui-dist
	$(TAURI_CLI) build --bundles deb -- --profile app
	@ls -l $${CARGO_TARGET_DIR:-target}/app/stint-app $${CARGO_TARGET_DIR:-target}/app/bundle/deb/*.deb

# Release builds, each figure against a baseline measured in the same run;
# results in bench/results/latest.json. Not part of `make test`.
bench: setup
	bash bench/run.sh

# Faults survived (issue 8): kill -9 of the tracker, server SIGKILLs and a
# long outage under 50 agents, lost responses, a PostgreSQL replica killed
# mid-batch; each scenario reconciled against the server. Release build,
# loopback only, about 25 min at the default sizes (SOAK_KILLS=1000 ...,
# see soak/soak.py); figures in soak/results/latest.json. Not part of `make test`.
soak: setup
	$(CARGO) build --release -p stint
	python3 soak/soak.py --bin $${CARGO_TARGET_DIR:-target}/release/stint

# Property-based API tests: schemathesis (pinned, in a venv under ~/.cache)
# against a debug `stint serve`; no server error, every status code and body
# as the OpenAPI document says. Deterministic (fixed seed, one worker); about
# a minute on two cores, so part of `make test`.
schemathesis: setup
	bash scripts/schemathesis.sh
