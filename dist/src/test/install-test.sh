#!/usr/bin/env bash
# The release archive's install test: unpacks jnet-VERSION.tar.gz in a clean temporary folder, with an empty
# HOME, no JAVA_HOME and a PATH of only the JDK's bin and the system's, and uses the installed jnet as a user would.
#   dist/src/test/install-test.sh dist/target/jnet-VERSION.tar.gz
set -euo pipefail
archive=$(readlink -f "$1")
tmp=$(mktemp -d /tmp/jnet-install.XXXXXX)
echo_pid=
cleanup() {
  [[ -n $echo_pid ]] && kill "$echo_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "install test: FAILED: $*" >&2
  exit 1
}

tar -xzf "$archive" -C "$tmp"
home=("$tmp"/jnet-*)
[[ -x $home/bin/jnet ]] || fail "no executable bin/jnet in the archive"
javabin=$(dirname "$(readlink -f "$(command -v java)")")
export HOME=$tmp/home PATH="$javabin:/usr/bin:/bin"
unset JAVA_HOME JNET_JAVA_OPTS
mkdir -p "$HOME"
cd "$tmp"

"$home/bin/jnet" --version | grep -q '^jnet ' || fail "--version"

# an echo server and a client, both from the installed tree
"$home/bin/jnet" echo tcp://127.0.0.1:0 2>echo.log &
echo_pid=$!
for _ in $(seq 300); do
  grep -q '^listening on ' echo.log && break
  kill -0 "$echo_pid" 2>/dev/null || fail "echo exited: $(cat echo.log)"
  sleep 0.1
done
port=$(sed -n 's/^listening on tcp:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' echo.log)
[[ -n $port ]] || fail "echo did not listen within 30 s: $(cat echo.log)"
out=$(echo hi | "$home/bin/jnet" connect "tcp://127.0.0.1:$port")
[[ $out == hi ]] || fail "connect printed '$out', not 'hi'"

# a failure is one line and a non-zero exit
if "$home/bin/jnet" connect tcp://127.0.0.1:1 </dev/null 2>err.txt; then
  fail "a refused connect exited 0"
fi
grep -q '^jnet: connect ECONNREFUSED 127.0.0.1:1$' err.txt || fail "refused: $(cat err.txt)"

# through a link in another folder, as after `ln -s .../bin/jnet ~/bin/jnet`
ln -s "$home/bin/jnet" "$tmp/linked-jnet"
"$tmp/linked-jnet" --version | grep -q '^jnet ' || fail "a link to bin/jnet"

# the man page and the completions
grep -q '^\.TH JNET 1' "$home/share/man/man1/jnet.1" || fail "no man page"
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$home/share/man/man1/jnet.1" 2>/dev/null | grep -q 'EXIT STATUS' || fail "man -l"
fi
bash -c "source '$home/share/bash-completion/completions/jnet' && complete -p jnet" >/dev/null ||
  fail "the bash completion does not load"
[[ -f $home/share/zsh/site-functions/_jnet && -f $home/README.md ]] || fail "zsh completion or README missing"

echo "install test: ok ($(basename "$archive"), unpacked in a clean folder, java from $javabin)"
