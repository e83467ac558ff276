# Every target works on a fresh machine with Go installed; tools are pinned and
# installed from the module proxy into ./bin.
STATICCHECK_VERSION := v0.8.2
GO ?= go
MODULES := $(shell find . -name go.mod -not -path './bin/*' -exec dirname {} \; | sort)
BIN := $(CURDIR)/bin

.PHONY: test test32 consumer lint bench cover quickstart tools fmt fuzz

# test runs every test of every module with the race detector.
# The postgres adapter's tests run against a throwaway server (scripts/pg-test.sh).
test:
	@set -e; for m in $(MODULES); do echo "== test $$m"; \
		if [ "$$m" = ./adapters/postgres ]; then GO="$(GO)" ./scripts/pg-test.sh; \
		else (cd $$m && $(GO) test -race -count=1 ./...); fi; done

# consumer publishes every module at its release version into a local module
# proxy and builds a module outside the repository against it (go get, go
# install): what hosts will see once the modules are tagged.
consumer:
	GO="$(GO)" ./scripts/consumer-test.sh

lint: tools
	@set -e; out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	@set -e; for m in $(MODULES); do echo "== lint $$m"; (cd $$m && $(GO) vet ./... && $(BIN)/staticcheck ./...); done
	@set -e; for m in $(MODULES); do echo "== vet $$m on a 32-bit platform (386)"; (cd $$m && GOARCH=386 $(GO) vet ./...); done
	@echo "== exported identifiers (docs/architecture.md, Counting the API)"; ./scripts/api-count.sh -check >/dev/null
	@echo "== no decimal.Div, which reads a global (STYLE.md: DivRound, or internal/decimalx.Div)"; \
		out=$$(git grep -n '\.Div(' -- '*.go' | grep -v 'decimalx\.Div(' || true); if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

# test32 runs the core module's tests on a 32-bit platform (386), where the
# machine runs its programs: ints of 32 bits, the portable code paths.
test32:
	@echo "== test on a 32-bit platform (386)"
	@if GOARCH=386 $(GO) test -count=1 -run '^$$' ./period >/dev/null 2>&1; then GOARCH=386 $(GO) test -count=1 ./...; \
	else echo "test32: this machine does not run 386 programs"; [ -z "$$GOALKIT_CI" ] || exit 1; fi

tools: $(BIN)/staticcheck
$(BIN)/staticcheck:
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# fuzz runs every fuzz target of every module (found by go test -list, so new
# targets are picked up) for FUZZTIME each, minimising a failure for at most
# FUZZMINIMIZETIME (docs/testing.md).
FUZZTIME ?= 10s
FUZZMINIMIZETIME ?= 5s
fuzz:
	GO="$(GO)" FUZZTIME=$(FUZZTIME) FUZZMINIMIZETIME=$(FUZZMINIMIZETIME) ./scripts/fuzz.sh

bench:
	@set -e; for m in $(MODULES); do (cd $$m && $(GO) test -run '^$$' -bench . -benchmem ./...); done

cover:
	@set -e; for m in $(MODULES); do (cd $$m && $(GO) test -coverprofile=coverage.out ./... && $(GO) tool cover -func=coverage.out | tail -1); done

quickstart:
	$(GO) run ./examples/quickstart

fmt:
	gofmt -w $$(git ls-files '*.go')
