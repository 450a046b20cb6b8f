# actorrent — the two commands: `make demo` and `make test`.
GO       ?= go
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FUZZTIME ?= 30s
BENCHRUNS ?= 3

CHAOS_SEEDS ?= 20

.PHONY: demo test deps vet bench fuzz chaos

# A self-contained swarm on 127.0.0.1: one seed, two downloaders.
demo:
	$(GO) run ./cmd/demo

# Real peers for the interop tests: libtorrent 2.0.8 (Debian's
# python3-libtorrent, importable only by /usr/bin/python3) and opentracker.
deps:
	@if ! /usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1 || ! command -v opentracker >/dev/null 2>&1; then \
		echo "installing python3-libtorrent and opentracker"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-libtorrent opentracker >/dev/null; \
	fi

vet:
	$(GO) vet ./...

# Every test, interop with real libtorrent included, under the race detector.
test: deps vet
	$(GO) test -race -timeout 14m ./...

# Speed, side by side with libtorrent in one run (ratios are ours/libtorrent).
bench: deps
	$(GO) run ./internal/bench -runs $(BENCHRUNS)
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
