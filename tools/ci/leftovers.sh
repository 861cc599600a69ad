#!/usr/bin/env bash
# Fails when the steps since `marker` left an OS resource of @ipc behind: a name in /dev/shm with
# "ipc" in it (segments, their temporaries and doorbells: `.ipc-shm-<pid>-…`), or a file or folder at
# the top of the temp folder named `ipc*` (socket folders, FIFOs, spools, bind folders). Usage:
#   leftovers.sh MARKER   (a file made before those steps; only newer names count)
set -uo pipefail
marker=$1
tmp=${TMPDIR:-/tmp}
left=$(
  {
    find /dev/shm -maxdepth 1 -mindepth 1 -name '*ipc*' -newer "$marker" 2>/dev/null
    find "$tmp" -maxdepth 1 -mindepth 1 -name 'ipc*' -newer "$marker" 2>/dev/null
  } | grep -v -F "${IPC_CI_TARBALLS:-/nonexistent}"
)
if [ -n "$left" ]; then
  echo "left behind:"
  echo "$left"
  exit 1
fi
echo "nothing left behind in /dev/shm or $tmp"
