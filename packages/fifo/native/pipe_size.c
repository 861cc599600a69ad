// @ipc/fifo native addon: the system call Node.js does not expose for pipes, fcntl(F_SETPIPE_SZ /
// F_GETPIPE_SZ) — the size of a pipe's kernel buffer (64 KiB by default on Linux), which bounds how
// much a writer can hand over before the reader must run.
// Pure Node-API: ABI-stable, one binary for every Node version from 20 on.
#define _GNU_SOURCE
#include <node_api.h>
#include "ipc_errno.h" // throw_errno, from @ipc/kit/native
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

static napi_value int_result(napi_env env, int value) {
  napi_value v;
  if (napi_create_int32(env, value, &v) != napi_ok) return NULL;
  return v;
}

// setPipeSize(fd, bytes) -> the size the kernel chose (bytes rounded up to a power-of-two number of
// pages). Throws EPERM (above /proc/sys/fs/pipe-max-size without CAP_SYS_RESOURCE), EBUSY (smaller
// than what the pipe holds now), EBADF, EINVAL (not a pipe, or bad arguments), ENOSYS.
static napi_value set_pipe_size_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd, bytes;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int32(env, argv[1], &bytes) != napi_ok) {
    return throw_errno(env, EINVAL, "setPipeSize");
  }
#ifdef F_SETPIPE_SZ
  int size = fcntl(fd, F_SETPIPE_SZ, bytes);
  if (size < 0) return throw_errno(env, errno, "fcntl(F_SETPIPE_SZ)");
  return int_result(env, size);
#else
  return throw_errno(env, ENOSYS, "fcntl(F_SETPIPE_SZ)");
#endif
}

// pipeSize(fd) -> the size of the pipe's kernel buffer in bytes.
static napi_value pipe_size_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    return throw_errno(env, EINVAL, "pipeSize");
  }
#ifdef F_GETPIPE_SZ
  int size = fcntl(fd, F_GETPIPE_SZ);
  if (size < 0) return throw_errno(env, errno, "fcntl(F_GETPIPE_SZ)");
  return int_result(env, size);
#else
  return throw_errno(env, ENOSYS, "fcntl(F_GETPIPE_SZ)");
#endif
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"setPipeSize", NULL, set_pipe_size_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pipeSize", NULL, pipe_size_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
