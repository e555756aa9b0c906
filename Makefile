# KpiStream — the two commands a new user needs: `make run` and `make test`.
CONFIGURATION ?= Release
ARGS ?= --demo
DOTNET ?= dotnet
PROCESSOR_DLL := src/KpiStream.Processor/bin/$(CONFIGURATION)/net10.0/kpistream.dll
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: build run test test-deps bench clean

build:
	$(DOTNET) build KpiStream.sln -c $(CONFIGURATION) -nologo -v quiet

## run: the processor on the embedded Kafka; ARGS are passed to `kpistream run` (default: --demo).
run: build
	$(DOTNET) $(PROCESSOR_DLL) run $(ARGS)

## test-deps: Debian packages of the clients the tests check KpiStream with, which share no code with it:
## kcat (Kafka CLI), Python's confluent-kafka with requests and avro (a registry-aware reader of the outputs),
## Prometheus (promtool for the health rules, a server that scrapes a demo for the dashboard's queries) and Alertmanager
## (where the forwarder sends alerts), and Go (whose text/template renders the Helm chart, there being no helm binary).
TEST_PACKAGES := kcat python3-confluent-kafka python3-requests python3-avro prometheus prometheus-alertmanager golang-go
test-deps:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing $$missing (Debian packages) for the end-to-end tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## test: every test; failures are listed again at the end, where a long log is read first.
test: build test-deps
	rm -rf artifacts/test-results
	$(DOTNET) test KpiStream.sln -c $(CONFIGURATION) --no-build -nologo --logger "console;verbosity=normal" \
		--logger "trx" --results-directory artifacts/test-results -- RunConfiguration.TestSessionTimeout=1800000 \
		|| { .ci/test-failures artifacts/test-results/*.trx; exit 1; }

## bench: end-to-end throughput against a raw transactional passthrough; writes artifacts/bench/results.json.
bench: build
	$(DOTNET) tests/KpiStream.Benchmarks/bin/$(CONFIGURATION)/net10.0/KpiStream.Benchmarks.dll $(BENCH_ARGS)

clean:
	$(DOTNET) clean KpiStream.sln -c $(CONFIGURATION) -nologo -v quiet
	rm -rf artifacts
