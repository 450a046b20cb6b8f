# actorrent — the two commands: `make demo` and `make test`.
GO       ?= go
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FUZZTIME ?= 30s
BENCHRUNS ?= 3
# TESTFLAGS go to `go test` in `make test` (stress-test sets -count=1).
TESTFLAGS ?=

CHAOS_SEEDS ?= 20

.PHONY: demo test deps vet bench fuzz chaos stress-test stress-deps

# A self-contained swarm on 127.0.0.1: one seed, two downloaders.
demo:
	$(GO) run ./cmd/demo

# Real peers for the interop tests: libtorrent 2.0.8 (Debian's
# python3-libtorrent, importable only by /usr/bin/python3), opentracker,
# aria2 (aria2c), Transmission (transmission-cli), and miniupnpd with
# nftables (the real IGD and NAT-PMP gateway of the port mapping test; the
# -nftables package alone: no service, no debconf).
deps:
	@if ! /usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1 || ! command -v opentracker >/dev/null 2>&1 || \
		! command -v aria2c >/dev/null 2>&1 || ! command -v transmission-cli >/dev/null 2>&1 || \
		! command -v miniupnpd >/dev/null 2>&1 || ! command -v nft >/dev/null 2>&1; then \
		echo "installing python3-libtorrent, opentracker, aria2, transmission-cli, miniupnpd-nftables and nftables"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-libtorrent opentracker aria2 transmission-cli miniupnpd-nftables nftables >/dev/null; \
	fi

vet:
	$(GO) vet ./...

# Every test, interop with real libtorrent included, under the race detector.
test: deps vet
	$(GO) test -race -timeout 14m $(TESTFLAGS) ./...

# The suite as CI sees it (a loaded 2-core machine): `make test`
# STRESSRUNS times in a row while stress-ng keeps two CPUs busy. The first
# failure stops it. The hog is bounded by its own --timeout (longer than
# the runs) and killed by its PID when the recipe ends, failed or not.
# -count=1: every run runs every test (go test would replay cached passes).
STRESSRUNS ?= 3

stress-deps:
	@if ! command -v stress-ng >/dev/null 2>&1; then \
		echo "installing stress-ng"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq stress-ng >/dev/null; \
	fi

stress-test: stress-deps deps
	@set -e; \
	stress-ng --cpu 2 --timeout $$(( $(STRESSRUNS) * 30 ))m --quiet & hog=$$!; \
	trap 'kill $$hog 2>/dev/null; wait $$hog 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT TERM; \
	sleep 1; kill -0 $$hog 2>/dev/null || { echo "stress-ng did not start"; exit 1; }; \
	for i in $$(seq $(STRESSRUNS)); do \
		echo "== stress-test: run $$i of $(STRESSRUNS) under stress-ng --cpu 2 (pid $$hog)"; \
		start=$$(date +%s); \
		$(MAKE) --no-print-directory test TESTFLAGS=-count=1; \
		echo "== stress-test: run $$i passed in $$(( $$(date +%s) - start ))s"; \
	done

# Speed, side by side with libtorrent in one run (ratios are ours/libtorrent).
bench: deps
	$(GO) run ./cmd/bench -runs $(BENCHRUNS)
	DEMO_KILL_RUNS=100 $(GO) test -count=1 -run '^TestKill9$$' -v ./cmd/demo

# The demo swarm under injected faults (demo chaos), for seeds 1 to
# CHAOS_SEEDS: every run must end with byte-identical copies.
chaos:
	$(GO) build -o .chaos-demo ./cmd/demo
	@trap 'rm -f .chaos-demo .chaos-err' EXIT; for s in $$(seq 1 $(CHAOS_SEEDS)); do \
		echo "== seed $$s"; \
		./.chaos-demo chaos -seed $$s 2>.chaos-err || { tail -n 20 .chaos-err; exit 1; }; \
	done

# Every fuzz target for FUZZTIME each (seed corpora live in testdata/fuzz/).
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		dir=$$(dirname $$f); \
		for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
			echo "== $$dir $$t"; \
			$(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$dir; \
		done; \
	done
