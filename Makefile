# loa: build the site, run every test.
#
#   make build   build this repository's site into public/
#   make serve   preview with live reload on http://127.0.0.1:1313/
#   make test    every test (Go, Node, headless Chromium); installs Chromium when missing
#   make bench   benchmarks (build speed, search size and speed, preview latency)

GO ?= go
CHROMIUM ?= /usr/bin/chromium

.PHONY: build serve test deps test-go test-node bench fuzz

build:
	$(GO) run ./cmd/loa build

serve:
	$(GO) run ./cmd/loa serve

# deps installs what the tests need on a fresh Debian machine: Chromium for
# the browser tests (Node.js is part of the machine image).
deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@command -v node >/dev/null || { echo "node is required for the search client tests (apt-get install nodejs)"; exit 1; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund

test: deps test-go test-node

test-go:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-node:
	node --test static/js/test/search.test.js

bench:
	./bench/build.sh
	./bench/search-size.sh
	$(GO) test -run '^$$' -bench Reload -benchtime 1x ./internal/serve/
	$(GO) test -run '^$$' -bench Render ./internal/markdown/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzFrontMatter -fuzztime 30s ./internal/content/
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s ./internal/markdown/
