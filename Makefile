# The two commands: `make demo` and `make test`. Both install what is missing, build, and run against a
# throwaway PostgreSQL that is removed when they end.
SWIFT ?= swift

.PHONY: demo test deps build build-tests clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

build-tests: deps
	$(SWIFT) build --build-tests

demo: build
	scripts/with-postgres.sh scripts/demo.sh

test: build-tests
	scripts/with-postgres.sh scripts/test.sh

clean:
	rm -rf .build output/releases output/current output/site output/emails output/metrics
