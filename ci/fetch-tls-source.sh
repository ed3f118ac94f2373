#!/usr/bin/env bash
# Prints the path of an unpacked TLS library source tree on stdout; progress goes to stderr.
#
#   ci/fetch-tls-source.sh [--stack mbedtls-2.28|mbedtls-3.6|wolfssl]     (default mbedtls-2.28)
#
# Stack mbedtls-2.28 (the host library's release):
# 1. $MBEDTLS_SOURCE_DIR when set (any copy: git checkout, STM32Cube middleware, tarball).
# 2. Else Debian's source package of exactly the version of the installed libmbedtls-dev,
#    fetched with `apt-get source` through a private apt configuration kept in
#    ${TLSRIG_CACHE_DIR:-<repo>/.cache}/mbedtls-src/ (the system's apt setup and lists are
#    never touched), checked (apt: signed Sources index; dpkg-source: .dsc checksums) and
#    unpacked once. Later runs only print the path.
# Stack mbedtls-3.6 (docs/stacks.md): the same, with $MBEDTLS36_SOURCE_DIR, and Debian's next
# release's source package mbedtls=$TLSRIG_MBEDTLS36_DEBIAN_VERSION (default below), from the
# system's Debian mirrors with the suite names of the next release (bookworm -> trixie). Its
# Release files are signed by keys debian-archive-keyring already ships.
# Stack wolfssl (docs/stacks.md): the same as 3.6, with $WOLFSSL_SOURCE_DIR and the next
# release's source package wolfssl=$TLSRIG_WOLFSSL_DEBIAN_VERSION (default below).
#
# TLSRIG_DEBIAN_MIRROR overrides the mirror read from the system's sources, e.g.
# http://snapshot.debian.org/archive/debian/20230401T000000Z when the version has left the
# regular archive.
set -euo pipefail

stack=mbedtls-2.28
while (($# > 0)); do
    case "$1" in
    --stack)
        stack="${2:-}"
        shift 2 || true
        ;;
    --stack=*)
        stack="${1#--stack=}"
        shift
        ;;
    *)
        printf '[fetch-tls-source] error: unknown argument %s (usage: %s [--stack mbedtls-2.28|mbedtls-3.6|wolfssl])\n' "$1" "$0" >&2
        exit 2
        ;;
    esac
done
# The 3.6 package pinned: the stack's results name this exact release.
MBEDTLS36_DEFAULT_DEBIAN_VERSION=3.6.6-0.1~deb13u1
# wolfSSL 5.7.2 from the next release: the current release's 5.5.4 predates fixes the
# field cases' servers need (TLS 1.3 and its crypto callbacks), docs/stacks.md.
WOLFSSL_DEFAULT_DEBIAN_VERSION=5.7.2-0.1+deb13u2
# Debian's next release after the system's, for the 3.6 source package.
NEXT_SUITE_OF_bookworm=trixie
case "$stack" in
mbedtls-2.28)
    explicit_var=MBEDTLS_SOURCE_DIR
    ;;
mbedtls-3.6)
    explicit_var=MBEDTLS36_SOURCE_DIR
    ;;
wolfssl)
    explicit_var=WOLFSSL_SOURCE_DIR
    ;;
*)
    printf '[fetch-tls-source] error: unknown stack "%s" (known: mbedtls-2.28, mbedtls-3.6, wolfssl)\n' "$stack" >&2
    exit 2
    ;;
esac

log() { printf '[fetch-tls-source] %s\n' "$*" >&2; }
die() {
    printf '[fetch-tls-source] error: %s\n' "$*" >&2
    local v
    v="$(wanted_version)"
    v="${v#*:}"
    v="${v%%-*}"
    v="${v:-2.28.3}"
    if [[ "$stack" == wolfssl ]]; then
        cat >&2 <<HINT
[fetch-tls-source] To build without Debian's source package, point $explicit_var at an
[fetch-tls-source] unpacked wolfSSL of the wanted release ($v), for example
[fetch-tls-source]   git clone -b v$v-stable https://github.com/wolfSSL/wolfssl /opt/wolfssl-$v
[fetch-tls-source]   export $explicit_var=/opt/wolfssl-$v
[fetch-tls-source] (cmake: -D$explicit_var=<dir>). The tree needs $tree_layout.
HINT
    else
        cat >&2 <<HINT
[fetch-tls-source] To build without Debian's source package, point $explicit_var at an
[fetch-tls-source] unpacked mbedTLS of the wanted release ($v, stack $stack), for example
[fetch-tls-source]   git clone -b v$v https://github.com/Mbed-TLS/mbedtls /opt/mbedtls-$v
[fetch-tls-source]   export $explicit_var=/opt/mbedtls-$v
[fetch-tls-source] or STM32Cube's copy: .../Middlewares/Third_Party/mbedTLS
[fetch-tls-source] (cmake: -D$explicit_var=<dir>). The tree needs $tree_layout.
HINT
    fi
    exit 1
}

# The library's name and the tree layout this stack needs.
if [[ "$stack" == wolfssl ]]; then
    lib_name=wolfSSL
    tree_layout="wolfssl/ssl.h, src/ and wolfcrypt/src/"
else
    lib_name=mbedTLS
    tree_layout="include/mbedtls/ and library/"
fi

is_stack_tree() {
    if [[ "$stack" == wolfssl ]]; then
        [[ -f "$1/wolfssl/ssl.h" && -d "$1/src" && -d "$1/wolfcrypt/src" ]]
    else
        [[ -d "$1/include/mbedtls" && -d "$1/library" ]]
    fi
}

# 2.x defines the version in version.h, 3.x in build_info.h.
tree_version() {
    if [[ "$stack" == wolfssl ]]; then
        sed -n 's/^#define[[:space:]]*LIBWOLFSSL_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
            "$1/wolfssl/version.h" 2>/dev/null | head -n 1 || true
        return
    fi
    sed -n 's/^#define[[:space:]]*MBEDTLS_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
        "$1/include/mbedtls/version.h" "$1/include/mbedtls/build_info.h" 2>/dev/null | head -n 1 || true
}

host_version() { dpkg-query -W -f='${Version}' libmbedtls-dev 2>/dev/null || true; }

# The Debian version this stack wants (2.28: the host library's; 3.6: the pinned package).
wanted_version() {
    if [[ "$stack" == mbedtls-3.6 ]]; then
        printf '%s\n' "${TLSRIG_MBEDTLS36_DEBIAN_VERSION:-$MBEDTLS36_DEFAULT_DEBIAN_VERSION}"
    elif [[ "$stack" == wolfssl ]]; then
        printf '%s\n' "${TLSRIG_WOLFSSL_DEBIAN_VERSION:-$WOLFSSL_DEFAULT_DEBIAN_VERSION}"
    else
        host_version
    fi
}

# --- 1. explicit source tree -------------------------------------------------------------
explicit_dir="${!explicit_var:-}"
if [[ -n "$explicit_dir" ]]; then
    is_stack_tree "$explicit_dir" ||
        die "$explicit_var=$explicit_dir has no $tree_layout"
    dir="$(cd "$explicit_dir" && pwd -P)"
    want="$(wanted_version)"
    want="${want#*:}"
    want="${want%%-*}"
    have="$(tree_version "$dir")"
    if [[ "$stack" == mbedtls-3.6 && "$have" != 3.6.* ]]; then
        die "$explicit_var=$dir is mbedTLS ${have:-of unknown version}, stack mbedtls-3.6 needs a 3.6.x tree"
    fi
    if [[ "$stack" == wolfssl && "$have" != 5.* ]]; then
        die "$explicit_var=$dir is wolfSSL ${have:-of unknown version}, stack wolfssl needs a 5.x tree"
    fi
    if [[ -n "$want" && -n "$have" && "$have" != "$want" ]]; then
        log "warning: $dir is $lib_name $have, stack $stack wants $want"
    fi
    printf '%s\n' "$dir"
    exit 0
fi

# --- 2. Debian source package ------------------------------------------------------------
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
if [[ "$stack" == wolfssl ]]; then
    cache="${TLSRIG_CACHE_DIR:-$repo_root/.cache}/wolfssl-src"
else
    cache="${TLSRIG_CACHE_DIR:-$repo_root/.cache}/mbedtls-src"
fi

if [[ "$stack" == mbedtls-3.6 || "$stack" == wolfssl ]]; then
    src_pkg="${stack%%-*}"
    src_ver="$(wanted_version)"
    apt_name="apt-$stack"
    # shellcheck disable=SC1091
    system_suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    next_var="NEXT_SUITE_OF_${system_suite}"
    next_suite="${!next_var:-}"
    [[ -n "$next_suite" ]] ||
        die "no next Debian release known after '${system_suite:-?}' for the $stack source package"
else
    src_pkg="$(dpkg-query -W -f='${source:Package}' libmbedtls-dev 2>/dev/null || true)"
    src_ver="$(dpkg-query -W -f='${source:Version}' libmbedtls-dev 2>/dev/null || true)"
    apt_name=apt
    system_suite=""
    next_suite=""
    [[ -n "$src_pkg" && -n "$src_ver" ]] ||
        die "libmbedtls-dev is not installed, so the wanted mbedTLS release is unknown (run ci/bootstrap.sh)"
fi

# Epochs ("1:") are not part of file names; keep the directory name plain.
tree="$cache/$src_pkg-${src_ver#*:}"
stamp="$tree.stamp"

# Fast path: unpacked before. Nothing else is done or printed.
if [[ -f "$stamp" ]] && is_stack_tree "$tree"; then
    printf '%s\n' "$tree"
    exit 0
fi

mkdir -p "$cache"
# Several build directories may configure at once; one fetch at a time.
exec 9>"$cache/.lock"
flock 9
if [[ -f "$stamp" ]] && is_stack_tree "$tree"; then
    printf '%s\n' "$tree"
    exit 0
fi

if [[ -n "$next_suite" ]]; then
    log "fetching Debian source package $src_pkg=$src_ver (stack $stack, from Debian $next_suite)"
else
    log "fetching Debian source package $src_pkg=$src_ver (the host's libmbedtls-dev)"
fi

# Debian archive entries of the system's sources, as "URI SUITE KEYRING" lines.
# Reads one-line .list files and deb822 .sources files; only Debian mirrors are used.
system_debian_sources() {
    local f
    shopt -s nullglob
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        awk '
            $1 != "deb" && $1 != "deb-src" { next }
            {
                key = ""; i = 2
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /^\[?signed-by=/) { key = $i; sub(/^\[?signed-by=/, "", key); sub(/\]$/, "", key) }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                print $i, $(i + 1), key
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no")
                    for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++) print uris[u], suites[s], key
                types = ""; key = ""; enabled = ""; nu = 0; ns = 0
            }
            /^[[:space:]]*#/ { next }
            /^[[:space:]]*$/ { flush(); next }
            {
                field = tolower($1); sub(/:$/, "", field)
                if (field == "types")     { $1 = ""; types = $0 " " }
                if (field == "uris")      { nu = split(substr($0, index($0, $2)), uris, " ") }
                if (field == "suites")    { ns = split(substr($0, index($0, $2)), suites, " ") }
                if (field == "signed-by") { key = $2 }
                if (field == "enabled")   { enabled = tolower($2) }
            }
            END { flush() }' "$f"
    done
}

default_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_dir="$cache/$apt_name"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sourceparts" \
    "$apt_dir/preferences.d" "$apt_dir/download"

{
    if [[ -n "${TLSRIG_DEBIAN_MIRROR:-}" ]]; then
        # shellcheck disable=SC1091
        suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
        [[ -n "$suite" ]] || die "cannot tell the Debian suite from /etc/os-release"
        printf '%s %s %s\n' "$TLSRIG_DEBIAN_MIRROR" "$suite" ""
    else
        system_debian_sources
    fi
} | awk -v from="$system_suite" -v to="$next_suite" '
    # 3.6: the same mirrors, the next release'"'"'s suites (bookworm-security -> trixie-security).
    to != "" { if (index($2, from) != 1) next; $2 = to substr($2, length(from) + 1) }
    $1 ~ /debian/ && !seen[$1 " " $2]++' >"$apt_dir/entries"

[[ -s "$apt_dir/entries" ]] ||
    die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/ (set TLSRIG_DEBIAN_MIRROR)"

while read -r uri suite key; do
    [[ -n "$key" && -f "$key" ]] || key="$default_keyring"
    opts="signed-by=$key"
    # Snapshot archives carry expired Release files by design.
    [[ "$uri" == *snapshot.debian.org* ]] && opts="$opts check-valid-until=no"
    printf 'deb-src [%s] %s %s main\n' "$opts" "$uri" "$suite"
done <"$apt_dir/entries" >"$apt_dir/sources.list"
log "private apt sources: $apt_dir/sources.list"
sed 's/^/[fetch-tls-source]   /' "$apt_dir/sources.list" >&2

apt_private=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/sourceparts"
    -o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=$(id -un)"
)

log "apt-get update (private lists)"
apt-get "${apt_private[@]}" -q --error-on=any update >&2 ||
    die "apt-get update with the private sources failed (no network to the Debian mirror?)"

rm -rf "$apt_dir/download" && mkdir -p "$apt_dir/download"
log "apt-get source --download-only $src_pkg=$src_ver"
(cd "$apt_dir/download" &&
    apt-get "${apt_private[@]}" -q source --download-only "$src_pkg=$src_ver" >&2) ||
    die "could not download source package $src_pkg=$src_ver (version no longer in the archive? try TLSRIG_DEBIAN_MIRROR=http://snapshot.debian.org/archive/debian/<date>)"

dsc="$(find "$apt_dir/download" -maxdepth 1 -name "${src_pkg}_${src_ver#*:}.dsc" | head -n 1)"
[[ -n "$dsc" ]] || die "download finished but ${src_pkg}_${src_ver#*:}.dsc is missing"

# Belt and braces: the .dsc's own SHA-256 list against the files apt fetched.
log "checking SHA-256 sums listed in $(basename "$dsc")"
sums="$(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF == 3 { print $1 "  " $3 }' "$dsc")"
[[ -n "$sums" ]] || die "$(basename "$dsc") lists no SHA-256 checksums"
(cd "$apt_dir/download" && sha256sum --quiet -c - <<<"$sums" >&2) ||
    die "SHA-256 mismatch for the files of $(basename "$dsc")"

# dpkg-source verifies the .dsc checksums again and applies Debian's patches. Trust in the
# .dsc comes from apt's signed Sources index; dpkg-source's warning that it cannot check the
# maintainer's own signature (no debian-keyring installed) is expected.
tmp="$tree.tmp.$$"
rm -rf "$tmp"
log "unpacking into $tree"
dpkg-source --no-copy -x "$dsc" "$tmp" >&2 || die "dpkg-source -x $(basename "$dsc") failed"
is_stack_tree "$tmp" || die "unpacked $(basename "$dsc") has no $tree_layout"
rm -rf "$tree"
mv "$tmp" "$tree"
printf '%s %s\n' "$src_pkg" "$src_ver" >"$stamp"
# The indexes are only needed for this one download; the fetched files stay as provenance.
rm -rf "$apt_dir/lists" "$apt_dir/cache"
log "$lib_name $(tree_version "$tree") ready"
printf '%s\n' "$tree"
