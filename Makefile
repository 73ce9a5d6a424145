# dw: GNU make, pkg-config, no configure.
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/dw
SYSCONFDIR ?= $(PREFIX)/etc
VERSION   = 0.1.0

CC       ?= cc
PKGS      = libpq mysqlclient libcurl libcjson yaml-0.1 libargon2 libcrypto xlsxwriter zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl is compiled against but opened at run time (lib/http.c).
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN      = -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=gnu17 $(WARN) $(CFLAGS) -Ilib $(PKG_CFLAGS) -DDW_VERSION='"$(VERSION)"' -DDW_DATADIR='"$(DATADIR)"'
LDLIBS    = $(PKG_LIBS) -lcrack -lm -pthread
# cmocka test functions all take (void **state), used or not.
TEST_CFLAGS = -Wno-unused-function -Wno-unused-parameter

BUILD    ?= build
# Sources live in lib/ (the base) and one folder per family (lib/db/, lib/etl/, ...).
LIB_SRC   = $(sort $(shell find lib -name '*.c'))
LIB_OBJ   = $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRC)) $(BUILD)/lib/sql_embed.o
TOOLS     = dw-etl dw-ask dw-user dw-audit dw-validate dw-partition dw-tune
BINS      = $(addprefix $(BUILD)/bin/,$(TOOLS))
UNIT_SRC  = $(sort $(shell find t/unit -name 'test_*.c'))
UNIT_BINS = $(patsubst t/unit/%.c,$(BUILD)/t/unit/%,$(UNIT_SRC))
# Integration test binaries talk to real servers; t/*.t run them.
IT_SRC    = $(sort $(wildcard t/it/test_*.c))
IT_BINS   = $(patsubst t/it/%.c,$(BUILD)/t/it/%,$(IT_SRC))
SQL_FILES = $(sort $(wildcard sql/oltp/*.sql sql/dw/*.sql))
MANPAGES  = $(sort $(wildcard man/*.[1-8]))

.PHONY: all check unit integration asan lint install deps demo demo-stop bench bench-ask clean eval-ask eval-tune fuzz

all: $(BUILD)/lib/libdw.a $(BINS)

# -MMD -MP: each object depends on the headers it includes, nothing more.
DEPFLAGS  = -MMD -MP

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# SQL files are compiled into the library so a binary needs nothing else installed.
$(BUILD)/lib/sql_embed.c: $(SQL_FILES) t/lib/embed-sql | $(BUILD)/lib
	sh t/lib/embed-sql $(SQL_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/sql_embed.o: $(BUILD)/lib/sql_embed.c
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/lib/libdw.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: cmd/%.c $(BUILD)/lib/libdw.a | $(BUILD)/bin
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -o $@ $< $(BUILD)/lib/libdw.a $(LDLIBS)

$(BUILD)/t/unit/%: t/unit/%.c $(BUILD)/lib/libdw.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(DEPFLAGS) -o $@ $< $(BUILD)/lib/libdw.a $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/t/it/%: t/it/%.c $(BUILD)/lib/libdw.a | $(BUILD)/t/it
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(DEPFLAGS) -pthread -o $@ $< $(BUILD)/lib/libdw.a \
	  $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/lib $(BUILD)/bin $(BUILD)/t/it:
	mkdir -p $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

check: all $(UNIT_BINS)
	@$(MAKE) --no-print-directory unit integration

unit: $(UNIT_BINS)
	@sh t/lib/run-unit $(UNIT_BINS)

integration: all $(IT_BINS)
	@DW_BIN=$(abspath $(BUILD)/bin) DW_IT_BIN=$(abspath $(BUILD)/t/it) sh t/lib/run-integration

asan:
	$(MAKE) BUILD=build-asan CC=clang \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  check

# libFuzzer target for the SQL lexer and validator (needs clang and
# libclang-rt-14-dev). New inputs go to $(FUZZ_BUILD)/corpus; t/fuzz/corpus stays untouched.
FUZZ_SECONDS ?= 600
FUZZ_BUILD   ?= build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)' $(FUZZ_BUILD)/lib/libdw.a
	clang -std=gnu17 $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -Ilib $(PKG_CFLAGS) \
	  -o $(FUZZ_BUILD)/fuzz_validate t/fuzz/fuzz_validate.c $(FUZZ_BUILD)/lib/libdw.a $(LDLIBS)
	mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/fuzz_validate -max_total_time=$(FUZZ_SECONDS) -dict=t/fuzz/sql.dict \
	  -print_final_stats=1 $(FUZZ_BUILD)/corpus t/fuzz/corpus

# lint: man pages, and the house rules of DESIGN.md section 3 (t/lib/lint-lib).
lint: $(BUILD)/lib/libdw.a
	mandoc -Tlint -Wwarning $(MANPAGES)
	@sh t/lib/lint-lib $(BUILD)/lib

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)/sql/oltp $(DESTDIR)$(DATADIR)/sql/dw \
	  $(DESTDIR)$(DATADIR)/etc $(DESTDIR)$(DATADIR)/ask $(DESTDIR)$(DATADIR)/checks
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(wildcard sql/oltp/*.sql) $(DESTDIR)$(DATADIR)/sql/oltp
	install -m 644 $(wildcard sql/dw/*.sql) $(DESTDIR)$(DATADIR)/sql/dw
	install -m 644 $(wildcard etc/*.sample etc/*.cron etc/*.sql) $(DESTDIR)$(DATADIR)/etc
	install -m 644 $(wildcard etc/ask/*.yaml) $(DESTDIR)$(DATADIR)/ask
	install -m 644 $(wildcard etc/checks/*.yaml) $(DESTDIR)$(DATADIR)/checks

deps:
	@sh t/lib/deps

demo:
	@sh t/lib/deps --if-missing
	@$(MAKE) --no-print-directory all
	@DW_BIN=$(abspath $(BUILD)/bin) sh t/lib/demo

demo-stop:
	@sh t/lib/dwservers stop run

# make eval-ask: scores dw-ask's engines (ENGINES=semantic,openai,...) on
# t/ask/questions.yaml against the demo warehouse, running make demo first
# when it is not up; the dev and test splits are reported apart (SPLIT=dev
# or SPLIT=test asks only one); QUESTIONS=t/ask/holdout-b.yaml scores the
# second set, written apart from the engine. A report, not a test: it fails
# only if the runner does.
DW_DEMO_DIR ?= run
ENGINES ?= semantic
SPLIT ?=
# make eval-tune: scores dw-tune's anomalies and forecast on its own workload
# (about five minutes; DAY, STEP, ANOMALIES, SEED change it; t/lib/eval-tune),
# then its index advice, trials and predictions on a workload whose right
# indexes are known (under a minute; ORDERS, N; t/lib/eval-advice).
# PART=advice runs the second part only.
eval-tune: all
	@if [ "$(PART)" != advice ]; then DW_BIN=$(abspath $(BUILD)/bin) sh t/lib/eval-tune; fi
	@DW_BIN=$(abspath $(BUILD)/bin) sh t/lib/eval-advice

eval-ask: all
	@if [ ! -f $(DW_DEMO_DIR)/dw.yaml ] || ! sh t/lib/dwservers status $(DW_DEMO_DIR) >/dev/null; then \
	  DW_DEMO_DIR=$(abspath $(DW_DEMO_DIR)) $(MAKE) --no-print-directory demo; fi
	@DW_BIN=$(abspath $(BUILD)/bin) perl t/lib/eval-ask -c $(DW_DEMO_DIR)/dw.yaml -e $(ENGINES) \
	  $(if $(SPLIT),-s $(SPLIT)) $(if $(QUESTIONS),-f $(QUESTIONS))

bench: all
	@DW_BIN=$(abspath $(BUILD)/bin) sh bench/run

# dw-ask figures alone, on the demo warehouse (make demo first when it is not up).
bench-ask: all
	@if [ ! -f $(DW_DEMO_DIR)/dw.yaml ] || ! sh t/lib/dwservers status $(DW_DEMO_DIR) >/dev/null; then \
	  DW_DEMO_DIR=$(abspath $(DW_DEMO_DIR)) $(MAKE) --no-print-directory demo; fi
	@DW_BIN=$(abspath $(BUILD)/bin) sh bench/ask $(DW_DEMO_DIR)/dw.yaml

clean:
	rm -rf build build-asan build-fuzz
