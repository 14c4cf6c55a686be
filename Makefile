# creator_platform: PGXS build of the extension, plus the project's entry points.
#
#   make && make install        build and install into the PostgreSQL of $(PG_CONFIG)
#   make test                   every test layer on a throwaway cluster (installs deps)
#   make demo / make demo-stop  a throwaway cluster in .demo/ with generated data
#   make bench                  every benchmark, side by side with plain SQL: bench/run.sh
#                               (comments, uuid), bench/feeds.sh, bench/archive.sh, then
#                               bench/load.sh; docs/benchmarks.md (+ docs/benchmarks-feeds.md,
#                               the feeds in full)
#   make bench-feeds            the feed benchmarks alone (bench/feeds.sh)
#   make bench-archive          the archiving benchmark alone (bench/archive.sh)
#   make bench-load             the mixed pgbench load alone (bench/load.sh)
#   make fuzz                   the libFuzzer targets, 1M executions each
#   make sqlsmith               sqlsmith as a plain role against generated data, 90 s
#   make installcheck           pg_regress and pgTAP against your own running server (PG* env,
#                               a superuser; starts no cluster): scripts/installcheck.sh
#
EXTENSION   = creator_platform
MODULE_big  = creator_platform

CORE_SRCS   = $(wildcard src/core/*.cpp)
PG_SRCS     = $(wildcard src/pg/*.cpp) $(wildcard src/*.cpp)
OBJS        = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

DATA        = $(wildcard sql/$(EXTENSION)--*.sql)
# Debian may carry several PostgreSQL versions: default to 15's pg_config.
PG_CONFIG  ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)

CP_CXXFLAGS = -std=c++17 -Isrc -Wno-register -fexceptions
# PGXS adds -fPIC to CFLAGS only; C++ objects need it too.
PG_CXXFLAGS = $(CP_CXXFLAGS) -fPIC -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK += -lfmt -lstdc++

# our installcheck (below) replaces PGXS's, which would run an empty REGRESS
NO_INSTALLCHECK = 1
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# A bare machine has no PostgreSQL headers yet: `make test` and `make demo`
# install them first; building directly needs `make deps` once.
all install installcheck:
	@echo "PGXS not found (PG_CONFIG=$(PG_CONFIG)): run 'make deps' first, or 'make test' / 'make demo', which install everything" >&2; exit 1
endif

# Debian builds LLVM bitcode for JIT inlining with clang-14 (default gnu++14).
override BITCODE_CXXFLAGS += $(CP_CXXFLAGS)

.PHONY: test demo demo-stop deps unit fuzz sqlsmith bench bench-feeds bench-archive bench-load installcheck

deps:
	@bash scripts/install-deps.sh

test:
	@bash scripts/run-tests.sh

demo:
	@bash scripts/demo.sh start

demo-stop:
	@bash scripts/demo.sh stop

unit:
	@bash scripts/run-tests.sh --only unit

fuzz:
	@bash scripts/fuzz.sh --runs 1000000

# sqlsmith against the extension with data, as a role that is not a superuser,
# for SQLSMITH_SECONDS; the server must not crash (scripts/sqlsmith.sh)
SQLSMITH_SECONDS ?= 90
sqlsmith:
	@bash scripts/sqlsmith.sh --seconds $(SQLSMITH_SECONDS)

# pg_regress and pgTAP against an existing server: PGHOST, PGPORT, PGUSER (a superuser)
installcheck:
	@bash scripts/installcheck.sh

bench:
	@bash bench/run.sh
	@CP_BENCH_CMD='make bench' bash bench/feeds.sh
	@CP_BENCH_CMD='make bench' bash bench/archive.sh
	@CP_BENCH_CMD='make bench' bash bench/load.sh

bench-feeds:
	@bash bench/feeds.sh

bench-archive:
	@bash bench/archive.sh

bench-load:
	@bash bench/load.sh
