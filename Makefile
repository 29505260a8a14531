# SPDX-License-Identifier: BSD-3-Clause
# A thin wrapper around meson: `make` builds, `make test` and `make demo`
# install what is missing first. Everything real lives in meson.build.

BUILD     ?= build
SANBUILD  ?= build-san
FUZZ_SECONDS ?= 60

# Debian 12 packages the build, the tests, the demo and the benches need.
DEB_PKGS := build-essential pkg-config meson ninja-build clang llvm libclang-rt-14-dev \
	bpftool libbpf-dev libxdp-dev libnl-3-dev libnl-route-3-dev libnl-genl-3-dev \
	libcmocka-dev libyaml-dev libjson-c-dev libdpdk-dev dpdk-dev \
	iproute2 iputils-ping ethtool procps bc iperf3 curl python3 python3-scapy tshark \
	openvswitch-switch sockperf strace nftables graphviz frr \
	wireguard-go wireguard-tools

.PHONY: all build sanbuild deps test demo fuzz install clean

all: build

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The unit tests again under ASan/UBSan, and the fuzz targets (clang).
$(SANBUILD)/build.ninja:
	CC=clang meson setup $(SANBUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true \
		-Dc_args=-fno-sanitize-recover=all

sanbuild: $(SANBUILD)/build.ninja
	ninja -C $(SANBUILD)

# Ask dpkg first, so that this costs nothing when all is there.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install them" >&2; exit 1; fi; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
			</dev/null >/dev/null || exit 1; \
	fi

test: deps
	$(MAKE) --no-print-directory build sanbuild
	tests/run $(BUILD) $(SANBUILD)

demo: deps
	$(MAKE) --no-print-directory build
	bench/demo $(BUILD)

fuzz: deps
	$(MAKE) --no-print-directory sanbuild
	tests/fuzz/run $(SANBUILD) $(FUZZ_SECONDS)

install: build
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(SANBUILD)
