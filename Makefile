# loa: build the site, run every test.
#
#   make build   build this repository's site into public/
#   make serve   preview with live reload on http://127.0.0.1:1313/
#   make test    every test (Go, Node, headless Chromium); installs Chromium when missing
#   make bench   benchmarks (build speed, search size, speed and relevance, preview latency)
#   make bench-peers N=1000   loa side by side with Hugo + Pagefind; writes bench/RESULTS.md

GO ?= go
CHROMIUM ?= /usr/bin/chromium

.PHONY: build serve test deps test-go test-node bench bench-peers fuzz

build:
	$(GO) run ./cmd/loa build

serve:
	$(GO) run ./cmd/loa serve

# deps installs what the tests need on a fresh Debian machine and says what it
# installs: Debian's chromium for the browser tests, Node.js when it is missing,
# poppler-utils and zbar-tools to read printed handouts' QR codes back, and
# axe-core (npm ci) for the accessibility checks. It runs apt-get directly
# as root (containers, the district's build PC) and through sudo otherwise; a
# user who is neither root nor has sudo gets the command to run. The recipe is
# exercised with stub commands by internal/e2e/deps_test.go.
deps:
	@set -e; \
	pkgs=""; \
	[ -x "$(CHROMIUM)" ] || pkgs=" chromium"; \
	command -v node >/dev/null 2>&1 || pkgs="$$pkgs nodejs"; \
	command -v npm >/dev/null 2>&1 || pkgs="$$pkgs npm"; \
	command -v pdftoppm >/dev/null 2>&1 || pkgs="$$pkgs poppler-utils"; \
	command -v zbarimg >/dev/null 2>&1 || pkgs="$$pkgs zbar-tools"; \
	if [ -n "$$pkgs" ]; then \
		if [ "$$(id -u)" = 0 ]; then sudo=""; \
		elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
		else echo "make deps: the tests need Debian packages:$$pkgs; run as root: apt-get update && apt-get install -y$$pkgs" >&2; exit 1; fi; \
		echo "make deps: installing Debian packages:$$pkgs (apt-get update, then apt-get install)"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs; \
	fi; \
	[ -x "$(CHROMIUM)" ] || { echo "make deps: $(CHROMIUM) is still missing after installing chromium; set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	if [ ! -f node_modules/axe-core/axe.min.js ]; then \
		echo "make deps: installing axe-core for the accessibility tests (npm ci)"; \
		npm ci --no-audit --no-fund; \
	fi

test: deps test-go test-node

test-go:
	@unformatted=$$(gofmt -l cmd internal bench); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	LOA_CHROMIUM=$(CHROMIUM) $(GO) test -race -count=1 ./...

test-node:
	node --test internal/search/jstest/search.test.js

bench:
	./bench/build.sh
	./bench/search-size.sh
	$(GO) test -count=1 -run '^TestRelevance$$' -v ./internal/search/ | sed -n 's/^ *relevance_test.go:[0-9]*: relevance //p'
	$(GO) test -run '^$$' -bench Reload -benchtime 1x ./internal/serve/
	$(GO) test -run '^$$' -bench Render ./internal/markdown/

# bench-peers builds the same generated site of N pages with loa and with Hugo +
# Pagefind, alternated, and updates bench/RESULTS.md (see bench/peers.sh; it
# installs Debian's hugo and npm's pagefind when missing). PEERS_FLAGS passes
# flags to bench/peers, e.g. PEERS_FLAGS=-preview=false.
N ?= 1000
PEERS_FLAGS ?=
bench-peers:
	./bench/peers.sh "$(N)" $(PEERS_FLAGS)

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzFrontMatter -fuzztime 30s ./internal/content/
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s ./internal/markdown/
