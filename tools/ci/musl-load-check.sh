#!/usr/bin/env bash
# Loads each given musl Node-API binary with musl's own dynamic loader (Debian's musl, no Alpine Node
# needed): a small musl program that defines every napi_* symbol the binary imports as a stub
# dlopen()s it with RTLD_NOW (every libc symbol must resolve in musl's libc) and finds
# napi_register_module_v1. Proves the binary links and loads on musl; running it needs a musl Node.
#   bash tools/ci/musl-load-check.sh <file.musl.node>...
set -uo pipefail
command -v musl-gcc >/dev/null || { echo "musl-load-check: musl-gcc missing (apt-get install musl-tools)"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ipc-musl-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
for file in "$@"; do
  {
    echo '#include <dlfcn.h>'
    echo '#include <stdio.h>'
    nm -D --undefined-only "$file" | awk '$2 ~ /^napi_/ { print "int " $2 "(void) { return 0; }" }'
    cat <<'C'
int main(int argc, char** argv) {
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
  if (!dlsym(lib, "napi_register_module_v1")) { fprintf(stderr, "no napi_register_module_v1\n"); return 1; }
  return 0;
}
C
  } >"$work/host.c"
  if ! musl-gcc -rdynamic -o "$work/host" "$work/host.c" 2>"$work/cc.log"; then
    echo "musl-load-check: cannot build the host for $file: $(cat "$work/cc.log")"
    status=1
    continue
  fi
  if out=$("$work/host" "$(realpath "$file")" 2>&1); then
    echo "musl-load-check: ok   $(basename "$file") loads with musl's dynamic loader"
  else
    echo "musl-load-check: FAIL $file: $out"
    status=1
  fi
done
exit $status
