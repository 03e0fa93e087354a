#!/bin/sh
# Validate a Flatpak manifest without building it.
#
# Usage: check-flatpak-manifest.sh /path/to/io.github.likeness.Likeness.json
#
# Runs `flatpak-builder --show-manifest` (no network, no runtime needed) and
# fails if it exits non-zero or prints anything on stderr (flatpak-builder
# only warns, on stderr, about unknown properties and similar mistakes).
# Then checks that finish-args are exactly the permissions Likeness needs.
#
# Needs only flatpak-builder and POSIX tools; independent of the current
# directory (it runs flatpak-builder in a scratch directory, because
# --show-manifest creates .flatpak-builder/ in the working directory).

set -u

EXPECTED_FINISH_ARGS='--device=dri
--share=ipc
--share=network
--socket=fallback-x11
--socket=wayland'

fail() {
    printf 'check-flatpak-manifest: FAIL: %s\n' "$1" >&2
    exit 1
}

[ $# -eq 1 ] || fail "usage: $0 MANIFEST"

manifest=$1
case $manifest in
    /*) ;;
    *) manifest=$(pwd)/$manifest ;;
esac
if [ ! -f "$manifest" ] || [ ! -r "$manifest" ]; then
    fail "cannot read manifest: $manifest"
fi

command -v flatpak-builder >/dev/null 2>&1 || fail "flatpak-builder not found in PATH"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-flatpak-manifest.XXXXXX") ||
    fail "cannot create a scratch directory"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir "$scratch/work" || fail "cannot create $scratch/work"

(cd "$scratch/work" && flatpak-builder --show-manifest "$manifest") \
    >"$scratch/stdout" 2>"$scratch/stderr"
status=$?

if [ "$status" -ne 0 ]; then
    printf 'check-flatpak-manifest: flatpak-builder --show-manifest exited with %s\n' "$status" >&2
    if [ -s "$scratch/stderr" ]; then
        echo '--- stderr:' >&2
        cat "$scratch/stderr" >&2
    fi
    fail "$manifest is not a valid manifest"
fi

if [ -s "$scratch/stderr" ]; then
    echo 'check-flatpak-manifest: flatpak-builder --show-manifest printed on stderr:' >&2
    cat "$scratch/stderr" >&2
    fail "$manifest produced warnings"
fi

# The normalised JSON printed by --show-manifest has "finish-args" : [ ... ]
# as a top-level member. Join it onto one line, cut out the array, and list
# its strings one per line. Anything odd (escaped quotes, a ']' inside an
# argument, a second "finish-args") makes the comparison below fail, which is
# the safe direction.
joined=$(tr '\n' ' ' <"$scratch/stdout")
count=$(printf '%s\n' "$joined" | grep -o '"finish-args"[[:space:]]*:' | wc -l | tr -d ' ')
[ "$count" -eq 1 ] || fail "expected exactly one \"finish-args\" in the manifest, found $count"

array=$(printf '%s\n' "$joined" |
    sed -n 's/.*"finish-args"[[:space:]]*:[[:space:]]*\(\[[^]]*\]\).*/\1/p')
[ -n "$array" ] || fail "could not read the finish-args array"

actual=$(printf '%s\n' "$array" | grep -o '"[^"]*"' | sed 's/^"//; s/"$//' | LC_ALL=C sort)
expected=$(printf '%s\n' "$EXPECTED_FINISH_ARGS" | LC_ALL=C sort)

if [ "$actual" != "$expected" ]; then
    echo 'check-flatpak-manifest: finish-args differ from the allowed set.' >&2
    echo '--- expected (sorted):' >&2
    printf '%s\n' "$expected" >&2
    echo '--- found (sorted):' >&2
    printf '%s\n' "$actual" >&2
    fail "$manifest has unexpected finish-args"
fi

printf 'check-flatpak-manifest: ok: %s (no warnings, finish-args as expected)\n' "$manifest"
exit 0
