#!/usr/bin/env bash
# The Debian package on a clean Debian 12 root: cpack builds the .deb from the build tree, a
# minimal bookworm root (debootstrap, cached under WORK_DIR) gets a fresh copy per run, apt
# installs the package there with its dependencies from the Debian archive, and the installed
# /usr/bin/mcp-host is started in the root as an unprivileged user under MemoryDenyWriteExecute:
# it must find its installed plugins, write its state in the state directory, answer /healthz,
# reload on SIGHUP and stop cleanly on SIGTERM.
# Usage: package_install_test.sh BUILD_DIR WORK_DIR. Needs root and, for the root and the
# dependencies, the archive (MCPH_DEBIAN_MIRROR, default http://deb.debian.org/debian): without
# them it FAILS saying so, it never skips.
set -euo pipefail
build=$1
work=$2
mirror=${MCPH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "package test: FAIL: $*" >&2; exit 1; }
step() { echo "package test: $*"; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, dpkg in the root)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (scripts/setup.sh installs it)"
mkdir -p "$work"

step "building the package (cpack -G DEB)"
rm -rf "$work/deb"
mkdir -p "$work/deb"
(cd "$work/deb" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/deb/mcp-host_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack made no mcp-host_*.deb"
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/mcp-host ./usr/lib/mcp-host/plugins/echo.so ./usr/lib/mcp-host/plugins/notes.so \
            ./etc/mcp-host/mcp-host.json ./etc/mcp-host/examples/local.json ./lib/systemd/system/mcp-host.service; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
grep -q ' ./usr/include' <<<"$contents" && fail "the package carries the SDK headers"
depends=$(dpkg-deb -f "$deb" Depends)
grep -q libpoco <<<"$depends" || fail "Depends does not name the Poco libraries: $depends"
step "$(basename "$deb"): Depends: $depends"

base="$work/bookworm-base"
if [ ! -f "$base/.complete" ]; then
  step "making a minimal Debian 12 root from $mirror (once; cached in $base)"
  rm -rf "$base"
  if ! timeout 900 debootstrap --variant=minbase bookworm "$base" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -15 "$work/debootstrap.log"
    fail "cannot make a Debian 12 root from $mirror (no network or mirror?); log: $work/debootstrap.log"
  fi
  touch "$base/.complete"
fi

root="$work/root"
cleanup() {
  [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
}
trap cleanup EXIT
umount "$root/proc" 2>/dev/null || true
rm -rf "$root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" 2>/dev/null || step "(no /proc in the root: mount refused)"
cp "$deb" "$root/tmp/mcp-host.deb"

step "installing it with apt in the clean root"
if ! timeout 600 chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/mcp-host.deb' \
    >"$work/apt.log" 2>&1; then
  tail -20 "$work/apt.log"
  fail "apt could not install the package in the root (network or dependencies); log: $work/apt.log"
fi
[ -x "$root/usr/bin/mcp-host" ] || fail "/usr/bin/mcp-host not installed"
# The root has no systemd, so only the unit's own problems count (not the missing sysinit.target).
systemd-analyze verify --root="$root" mcp-host.service >/dev/null 2>"$work/verify.log" || true
if grep -v 'sysinit.target' "$work/verify.log" | grep -q .; then
  cat "$work/verify.log"
  fail "systemd-analyze verify finds problems in the installed unit"
fi
score=$(systemd-analyze security --offline=yes --root="$root" mcp-host.service 2>/dev/null | sed -n 's/.*Overall exposure level for mcp-host.service: //p')
step "systemd-analyze security: ${score:-unavailable}"

step "checking the shipped configuration"
chroot "$root" env STATE_DIRECTORY=/var/lib/mcp-host /usr/bin/mcp-host --check-config /etc/mcp-host/mcp-host.json ||
  fail "the shipped /etc/mcp-host/mcp-host.json does not validate"
for example in "$root"/etc/mcp-host/examples/{mcp-host,local,no-auth}.json; do
  name=/etc/mcp-host/examples/$(basename "$example")
  chroot "$root" /usr/bin/mcp-host --check-config "$name" >/dev/null || fail "$name does not validate"
done
chroot "$root" /usr/bin/mcp-host --list-plugins --config /etc/mcp-host/examples/no-auth.json >"$work/plugins.txt" 2>/dev/null
for plugin in echo whoami notes; do
  grep -q "^$plugin " "$work/plugins.txt" || { cat "$work/plugins.txt"; fail "--list-plugins does not list $plugin"; }
done

step "starting the installed host as an unprivileged user, as the unit would"
gcc -O2 -static -o "$root/usr/local/bin/mdwe_exec" "$here/mdwe_exec.c" || fail "cannot build mdwe_exec"
install -d -m 0700 -o 65534 -g 65534 "$root/var/lib/mcp-host"
sed 's/"port": 8080/"port": 0/' "$root/etc/mcp-host/mcp-host.json" >"$root/etc/mcp-host/test.json"
chmod 0644 "$root/etc/mcp-host/test.json"
: >"$work/host.out"
(cd "$root" && exec chroot --userspec=65534:65534 "$root" /usr/bin/env -i STATE_DIRECTORY=/var/lib/mcp-host \
   sh -c 'umask 077; cd /; exec /usr/local/bin/mdwe_exec /usr/bin/mcp-host --config /etc/mcp-host/test.json') \
  >"$work/host.out" 2>"$work/host.log" &
pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^mcp-host listening on //p' "$work/host.out" | head -1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/host.log"; fail "the installed host did not start listening"; }
port=$(sed -E 's|^http://127\.0\.0\.1:([0-9]+)/mcp$|\1|' <<<"$url")
step "listening on $url"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$status" = 200 ] || fail "/healthz answered $status"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/.well-known/oauth-authorization-server")
[ "$status" = 200 ] || fail "the authorization server metadata answered $status"
for plugin in echo whoami notes; do
  grep -q "loaded plugin $plugin .* from /usr/lib/mcp-host/plugins/" "$work/host.log" ||
    { cat "$work/host.log"; fail "the running host did not load $plugin from /usr/lib/mcp-host/plugins"; }
done
for file in users.json admin-password mcp-host-auth.db notes.sqlite3; do
  [ -f "$root/var/lib/mcp-host/$file" ] || { ls -la "$root/var/lib/mcp-host"; fail "no $file in the state directory"; }
done
[ "$(stat -c %a "$root/var/lib/mcp-host/admin-password")" = 600 ] || fail "admin-password is not mode 0600"
kill -HUP "$pid"
for _ in $(seq 1 100); do grep -q "reload: nothing changed" "$work/host.log" && break; sleep 0.1; done
grep -q "reload: nothing changed" "$work/host.log" || { cat "$work/host.log"; fail "SIGHUP did not reload"; }
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" = 0 ] || { cat "$work/host.log"; fail "the host exited $code on SIGTERM"; }
cleanup
rm -rf "$root"  # kept after a failure, for a look inside
step "OK"
