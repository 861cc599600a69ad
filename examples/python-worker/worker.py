"""A worker that needs nothing but Python's standard library.

Its parent (index.mjs) starts it with @ipc/pipe's spawnChannel: fd 3 is a socket that carries
length-prefixed frames, exactly what multiprocessing.connection reads and writes. Each message is JSON.
"""
import json
from multiprocessing.connection import Connection

conn = Connection(3)


def reply(value):
    conn.send_bytes(json.dumps(value).encode())


while True:
    try:
        message = json.loads(conn.recv_bytes())
    except EOFError:  # the parent closed the channel: we are done
        break
    op = message.get("op")
    if op == "square":
        reply({"n": message["n"], "square": message["n"] ** 2})
    elif op == "measure":  # a big message from Node
        data = message["data"]
        reply({"length": len(data), "first": data[:3], "last": data[-3:]})
    elif op == "make":  # a big message to Node
        reply({"data": "py" * (message["length"] // 2)})
    else:
        reply({"error": f"unknown op {op!r}"})
conn.close()
