# Cartable: `make run` brings up the demo, `make test` runs every test. See README.md.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD_TYPE ?= Release
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
CMAKE_FLAGS := -G Ninja -DCARTABLE_WERROR=ON
FUZZ_SECONDS ?= 20
DEMO_FLAGS ?=

.PHONY: tidy run test deps test-deps build asan web browser-deps unit-tests asan-tests browser-test fuzz fuzz-long bench format clean

run: deps build web
	./$(RELEASE_DIR)/cartable demo --data var/demo --listen 127.0.0.1:8080 $(DEMO_FLAGS)

test: test-deps build web asan browser-deps
	./scripts/run-tests.sh

deps:
	./scripts/install-deps.sh

test-deps:
	./scripts/install-deps.sh --with-tests

build:
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS)

asan:
	cmake -S . -B $(ASAN_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug -DCARTABLE_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS)

web:
	cd web && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build

browser-deps:
	cd tests/browser && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; }

fuzz:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCARTABLE_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	./scripts/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# The longer run documented in CONTRIBUTING.md.
fuzz-long:
	$(MAKE) fuzz FUZZ_SECONDS=600

tidy:
	./scripts/tidy.sh

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build web/dist
