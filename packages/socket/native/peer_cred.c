// @ipc/socket native addon: system calls Node.js does not expose for sockets. This file has
// getsockopt(SO_PEERCRED) — the pid, uid and gid of the process at the other end of a Unix socket,
// as the kernel recorded them when the connection was made (connect(2) or listen(2)) — and the
// module's registration; socket_buffers.c has the buffer sizes (SO_SNDBUF / SO_RCVBUF).
// Pure Node-API: ABI-stable, one binary for every Node version from 20 on.
#define _GNU_SOURCE
#include <node_api.h>
#include "ipc_errno.h" // throw_errno, from @ipc/kit/native
#include "fd_argument.h"
#include "socket_buffers.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

static int set_number(napi_env env, napi_value obj, const char* name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok &&
         napi_set_named_property(env, obj, name, v) == napi_ok;
}

// peerCred(fd) -> { pid, uid, gid }. Throws an Error with errno/syscall: EBADF, ENOTSOCK (not a
// socket), ENOSYS (no SO_PEERCRED on this OS), EINVAL (fd not an integer).
static napi_value peer_cred_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (!fd_argument(env, info, &argc, argv, &fd)) return throw_errno(env, EINVAL, "peerCred");
#ifdef SO_PEERCRED
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return throw_errno(env, errno, "getsockopt(SO_PEERCRED)");
  }
  if (len != sizeof cred) return throw_errno(env, EPROTO, "getsockopt(SO_PEERCRED)");
  napi_value result;
  if (napi_create_object(env, &result) != napi_ok ||
      !set_number(env, result, "pid", (double)cred.pid) ||
      !set_number(env, result, "uid", (double)cred.uid) ||
      !set_number(env, result, "gid", (double)cred.gid)) {
    napi_throw_error(env, "ERR_INTERNAL", "@ipc/socket: Node-API call failed in peerCred");
    return NULL;
  }
  return result;
#else
  (void)fd;
  return throw_errno(env, ENOSYS, "getsockopt(SO_PEERCRED)");
#endif
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"peerCred", NULL, peer_cred_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"socketBuffers", NULL, socket_buffers_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
