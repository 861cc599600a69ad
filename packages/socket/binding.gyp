{
  "targets": [
    {
      "target_name": "ipc_socket",
      "sources": ["native/peer_cred.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
