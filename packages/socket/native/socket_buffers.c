// @ipc/socket native addon: the kernel buffer sizes of a socket (SO_SNDBUF / SO_RCVBUF), which Node.js
// sets only for UDP. A Unix stream socket moves at most about SO_SNDBUF bytes per write/read and per
// wake-up of the other side (about 208 KiB by default): bulk transfers make fewer system calls and
// wake-ups with a bigger one.
#define _GNU_SOURCE
#include "socket_buffers.h"
#include "fd_argument.h"
#include "ipc_errno.h" // throw_errno, from @ipc/kit/native
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>

static int get_size(int fd, int option, int* out) {
  socklen_t len = sizeof *out;
  return getsockopt(fd, SOL_SOCKET, option, out, &len);
}

static int set_number(napi_env env, napi_value obj, const char* name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok &&
         napi_set_named_property(env, obj, name, v) == napi_ok;
}

// socketBuffers(fd, bytes?) -> { send, receive }: with `bytes` (an integer > 0), first
// setsockopt(SO_SNDBUF) and setsockopt(SO_RCVBUF) to it (the kernel doubles the value for its own
// bookkeeping and caps it at net.core.wmem_max / rmem_max); then the sizes in effect (getsockopt).
// Throws an Error with errno/syscall: EBADF, ENOTSOCK, EINVAL (bad arguments).
napi_value socket_buffers_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  if (!fd_argument(env, info, &argc, argv, &fd)) return throw_errno(env, EINVAL, "socketBuffers");
  napi_valuetype type = napi_undefined;
  if (argc >= 2 && napi_typeof(env, argv[1], &type) != napi_ok) return throw_errno(env, EINVAL, "socketBuffers");
  if (type != napi_undefined) {
    int32_t bytes;
    if (napi_get_value_int32(env, argv[1], &bytes) != napi_ok || bytes <= 0) {
      return throw_errno(env, EINVAL, "socketBuffers");
    }
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes) != 0) {
      return throw_errno(env, errno, "setsockopt(SO_SNDBUF)");
    }
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
      return throw_errno(env, errno, "setsockopt(SO_RCVBUF)");
    }
  }
  int send = 0, receive = 0;
  if (get_size(fd, SO_SNDBUF, &send) != 0) return throw_errno(env, errno, "getsockopt(SO_SNDBUF)");
  if (get_size(fd, SO_RCVBUF, &receive) != 0) return throw_errno(env, errno, "getsockopt(SO_RCVBUF)");
  napi_value result;
  if (napi_create_object(env, &result) != napi_ok || !set_number(env, result, "send", (double)send) ||
      !set_number(env, result, "receive", (double)receive)) {
    napi_throw_error(env, "ERR_INTERNAL", "@ipc/socket: Node-API call failed in socketBuffers");
    return NULL;
  }
  return result;
}
