#!/usr/bin/env bash
# Installs the Debian packages tlsrig needs to build, test and fuzz.
# Idempotent: packages already installed are skipped, and apt-get update runs
# at most once, only when something is missing. Runs without prompts.
set -euo pipefail

log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() {
    printf '[bootstrap] error: %s\n' "$*" >&2
    exit 1
}

# ninja-build is not listed: the build uses CMake's default Makefile generator.
PACKAGES=(
    cmake pkg-config make gcc
    clang libclang-rt-14-dev clang-format
    libmbedtls-dev libserialport-dev libusb-1.0-0-dev libcriterion-dev
    libcyaml-dev libyaml-dev libjansson-dev libpcap-dev libstlink-dev libsqlite3-dev
    gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
    dpkg-dev tshark gnutls-bin openssl
    umockdev libumockdev-dev
    python3
    # tests/ci: gitlab-ci-local's shell executor copies the project with rsync; the
    # pipeline files are read with PyYAML. (node and npm come with the machine; the
    # LAVA test needs lava-dispatcher, left out: 118 packages, ~8 minutes: docs/ci.md.)
    rsync python3-yaml
)

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

command -v dpkg-query >/dev/null || die "dpkg-query not found: this script supports Debian 12 only"

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! is_installed "$pkg"; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    log "all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

log "missing: ${missing[*]}"

SUDO=()
if ((EUID != 0)); then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        die "need root to install ${missing[*]}; run as root or with passwordless sudo"
    fi
fi

export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed (network or apt configuration); missing: ${missing[*]}"

apt_install() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "$@" >/dev/null
}

log "installing ${missing[*]}"
if ! apt_install "${missing[@]}"; then
    # One apt transaction is fast; when it fails, retry one by one to name the culprit.
    for pkg in "${missing[@]}"; do
        is_installed "$pkg" && continue
        log "installing $pkg"
        apt_install "$pkg" || die "could not install package '$pkg' (apt-get install failed)"
    done
fi
for pkg in "${missing[@]}"; do
    is_installed "$pkg" || die "package '$pkg' is still not installed after apt-get install"
done

log "installed ${#missing[@]} package(s): ${missing[*]}"
