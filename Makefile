# SPDX-License-Identifier: GPL-2.0-or-later
# Thin wrapper: meson and ninja do the work. `make check` and `make run` install
# missing Debian packages first (as root), so both work on a fresh machine.
BUILD ?= build
NINJA ?= ninja

.PHONY: all deps check check-unit run install clean distclean help

all: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

$(BUILD)/build.ninja:
	@scripts/install-deps.sh --build
	./configure --builddir=$(BUILD)

deps:
	@scripts/install-deps.sh --check

check: deps all
	scripts/run-tests.sh $(BUILD)

check-unit: deps all
	scripts/run-tests.sh $(BUILD) --suite unit

run: deps all
	scripts/run-demo.sh $(BUILD)

install: all
	meson install -C $(BUILD)

clean:
	-$(NINJA) -C $(BUILD) clean

distclean:
	rm -rf $(BUILD)

help:
	@echo "make            build $(BUILD)/tern"
	@echo "make check      install what is missing, build, run every test"
	@echo "make run        install what is missing, build, boot the default demo guest"
	@echo "make install    install under the configured prefix"
