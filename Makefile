# spotmigrate — see README.md. `make run` and `make test` are the quick start.
GO      ?= go
BIN     := bin/spotmigrate
RUNDIR  := .run
BENCH_SIZE ?= 1GB
BENCH_DIR  ?= /tmp/spotmigrate-bench

.PHONY: build test unit fuzz itest run bench lint cluster-up cluster-down clean

build:
	$(GO) build -o $(BIN) ./cmd/spotmigrate

# The whole suite: unit and CLI tests, a bounded fuzzing run, then the
# integration tests against a real HDFS and HiveServer2 engine started by
# the harness.
test: unit fuzz itest

unit:
	$(GO) test -count=1 ./...

# Integration tests against a real HDFS (MiniDFSCluster) and a real
# HiveServer2 engine (Spark Thrift server), started and stopped by the tests
# (or joined: SPOTMIGRATE_CLUSTER=/tmp/spotmigrate-cluster after make cluster-up).
itest:
	cluster/install.sh
	$(GO) test -tags itest -count=1 -timeout 45m -v ./itest

# Migrates a copy of the bundled sample tree into ./spot.duckdb and prints
# the reconcile report; the repository itself is never modified.
run: build
	rm -rf $(RUNDIR) && mkdir -p $(RUNDIR)
	cp -R testdata/sample/spot-oa $(RUNDIR)/spot-oa
	./$(BIN) migrate --oa-path $(RUNDIR)/spot-oa --target spot.duckdb --work-dir $(RUNDIR)/work

bench: build
	$(GO) run ./cmd/spotbench -dir $(BENCH_DIR) -size $(BENCH_SIZE) -bin $(BIN)
	$(GO) test -run '^$$' -bench . -benchtime 3x ./validate/

# Fuzzes the discovery and the header reading (validate/fuzz_test.go), each
# target for a fixed number of inputs (Go fuzzes one target per run; a count,
# not a duration, because a duration ends with "context deadline exceeded"
# when a worker is busy at that moment); about 40 s on 2 cores. A plain go
# test runs their seeds and validate/testdata/fuzz/. A failing input is
# written there.
FUZZ_RUNS := FuzzClassify:100000x FuzzDiscover:3000x FuzzDetect:50000x FuzzLineCounter:50000x FuzzInspect:20000x

fuzz:
	@set -e; for r in $(FUZZ_RUNS); do \
		t=$${r%%:*}; n=$${r#*:}; echo "fuzz: $$t for $$n inputs"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $$n ./validate/; \
	done

# golangci-lint (.golangci.yml: gofmt, goimports, govet, staticcheck,
# errcheck, unused, misspell, ineffassign), built once into bin/.
LINT_VERSION := v2.15.0
LINT := bin/golangci-lint-$(LINT_VERSION)

$(LINT):
	mkdir -p bin/lint && GOBIN=$(abspath bin/lint) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(LINT_VERSION)
	mv bin/lint/golangci-lint $@ && rmdir bin/lint

lint: $(LINT)
	$(LINT) run ./...

CLUSTER_STATE ?= /tmp/spotmigrate-cluster

cluster-up:
	cluster/up.sh $(CLUSTER_STATE)

cluster-down:
	cluster/down.sh $(CLUSTER_STATE)

clean:
	rm -rf bin $(RUNDIR) spot.duckdb spot.duckdb.*
