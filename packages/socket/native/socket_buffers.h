// socketBuffers(fd, bytes?): see socket_buffers.c.
#ifndef IPC_SOCKET_BUFFERS_H
#define IPC_SOCKET_BUFFERS_H

#include <node_api.h>

napi_value socket_buffers_js(napi_env env, napi_callback_info info);

#endif
