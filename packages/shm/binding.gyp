{
  "targets": [
    {
      "target_name": "ipc_shm",
      "sources": ["native/ipc_shm.c"],
      "include_dirs": ["<!(node -p \"require('node:path').join(require.resolve('@ipc/kit/package.json'), '..', 'native')\")"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS=='linux'", {"libraries": ["-lrt", "-lpthread"]}]]
    }
  ]
}
