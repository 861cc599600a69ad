{
  "targets": [
    {
      "target_name": "ipc_socket",
      "sources": ["native/peer_cred.c", "native/socket_buffers.c"],
      "include_dirs": ["<!(node -p \"require('node:path').join(require.resolve('@ipc/kit/package.json'), '..', 'native')\")"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
