// Shared by the Node-API addons of @ipc packages (include_dirs in their binding.gyp).
#ifndef IPC_ERRNO_H
#define IPC_ERRNO_H

#include <node_api.h>
#include <stdio.h>
#include <string.h>

// Throws an Error carrying the errno number and the system call; TypeScript maps them to IpcError
// (toIpcError in @ipc/core). Returns NULL, for `return throw_errno(...)`.
static inline napi_value throw_errno(napi_env env, int err, const char* syscall) {
  napi_value msg, error, num, sc;
  char text[256];
  snprintf(text, sizeof text, "%s: %s", syscall, strerror(err));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_create_int32(env, err, &num);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sc);
  napi_set_named_property(env, error, "errno", num);
  napi_set_named_property(env, error, "syscall", sc);
  napi_throw(env, error);
  return NULL;
}

#endif
