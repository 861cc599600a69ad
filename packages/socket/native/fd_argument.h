// The arguments of an addon function whose first argument is a file descriptor.
#ifndef IPC_SOCKET_FD_ARGUMENT_H
#define IPC_SOCKET_FD_ARGUMENT_H

#include <node_api.h>

// Reads up to *argc arguments into argv (*argc becomes how many were passed) and the first, which
// must be there, as an int32 into *fd. Returns 0 when that fails (the caller throws EINVAL).
static inline int fd_argument(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv,
                              int32_t* fd) {
  return napi_get_cb_info(env, info, argc, argv, NULL, NULL) == napi_ok && *argc >= 1 &&
         napi_get_value_int32(env, argv[0], fd) == napi_ok;
}

#endif
