# lib.sh - shared by the hyperfine benches: sourced with the build
# directory in $1; sets $quirk (the binary) and $out (a scratch file for
# hyperfine's JSON, removed on exit), or exits 2 saying what is missing.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quirk="$PWD/${1:-build}/quirk"
[ -x "$quirk" ] || { echo "bench: build quirk first ($quirk)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
