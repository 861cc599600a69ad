{
  "targets": [
    {
      "target_name": "ipc_fifo",
      "sources": ["native/pipe_size.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
