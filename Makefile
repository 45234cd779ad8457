# The two commands: `make demo` and `make test`. Both install what is missing, build, and run against a
# throwaway PostgreSQL that is removed when they end.
#
# `make install PREFIX=/usr/local [DESTDIR=/staging]` installs the release binary and its data; it needs only the
# Swift toolchain, libpq-dev, libxml2-dev, git (for the commit) and python3 (scripts/finish-manual.py), not the
# test tools.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=

bindir = $(PREFIX)/bin
datadir = $(PREFIX)/share/checkout-nightly
mandir = $(PREFIX)/share/man/man1
unitdir = $(PREFIX)/lib/systemd/system
bashdir = $(PREFIX)/share/bash-completion/completions
zshdir = $(PREFIX)/share/zsh/site-functions
fishdir = $(PREFIX)/share/fish/vendor_completions.d

# The commit the installed files come from (`checkout-nightly --version` prints it); override where there is no git.
COMMIT ?= $(shell git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null || echo unknown)
# Generated at install time, never committed: completion scripts and the manual.
generated = .build/install-files
manual = .build/plugins/GenerateManual/outputs/checkout-nightly/checkout-nightly.1

.PHONY: demo test deps build build-tests release install uninstall clean

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

# The Swift runtime is linked in, so the binary needs only libpq5 and libxml2 where it runs (see Containerfile).
release:
	$(SWIFT) build -c release --static-swift-stdlib --product checkout-nightly

install: release
	@rm -rf $(generated) && mkdir -p $(generated)
	for shell in bash zsh fish; do \
	  .build/release/checkout-nightly --generate-completion-script $$shell >$(generated)/completion.$$shell || exit 1; \
	done
	$(SWIFT) package plugin generate-manual --configuration debug \
	  --date "$$(git log -1 --format=%cs 2>/dev/null || date -u +%F)"
	scripts/finish-manual.py .build/release/checkout-nightly $(manual)
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(datadir) $(DESTDIR)$(mandir) $(DESTDIR)$(unitdir) \
	  $(DESTDIR)$(bashdir) $(DESTDIR)$(zshdir) $(DESTDIR)$(fishdir)
	install -m 0755 .build/release/checkout-nightly $(DESTDIR)$(bindir)/checkout-nightly
	rm -rf $(DESTDIR)$(datadir)/queries $(DESTDIR)$(datadir)/templates $(DESTDIR)$(datadir)/docs
	cp -R queries templates docs $(DESTDIR)$(datadir)/
	chmod -R u=rwX,go=rX $(DESTDIR)$(datadir)
	echo "$(COMMIT)" >$(DESTDIR)$(datadir)/COMMIT
	install -m 0644 $(manual) $(DESTDIR)$(mandir)/checkout-nightly.1
	install -m 0644 $(generated)/completion.bash $(DESTDIR)$(bashdir)/checkout-nightly
	install -m 0644 $(generated)/completion.zsh $(DESTDIR)$(zshdir)/_checkout-nightly
	install -m 0644 $(generated)/completion.fish $(DESTDIR)$(fishdir)/checkout-nightly.fish
	for unit in deploy/systemd/*.service deploy/systemd/*.timer; do \
	  sed 's|/usr/local/|$(PREFIX)/|g' $$unit >$(DESTDIR)$(unitdir)/$${unit##*/} && chmod 0644 $(DESTDIR)$(unitdir)/$${unit##*/} || exit 1; \
	done

uninstall:
	rm -rf $(DESTDIR)$(datadir)
	rm -f $(DESTDIR)$(bindir)/checkout-nightly $(DESTDIR)$(mandir)/checkout-nightly.1 \
	  $(DESTDIR)$(bashdir)/checkout-nightly $(DESTDIR)$(zshdir)/_checkout-nightly $(DESTDIR)$(fishdir)/checkout-nightly.fish
	for unit in deploy/systemd/*.service deploy/systemd/*.timer; do rm -f $(DESTDIR)$(unitdir)/$${unit##*/}; done

clean:
	rm -rf .build output/releases output/current output/site output/emails output/metrics
