#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers on 127.0.0.1:5672 (guest/guest): start nothing where one runs,
# otherwise install it from Debian's packages if needed, start it, and wait until it is up.
set -uo pipefail

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if port_open; then
  echo "rabbitmq: already running on 127.0.0.1:5672"
  exit 0
fi
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "rabbitmq: installing rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq rabbitmq-server >/dev/null || {
    echo "rabbitmq: install failed" >&2
    exit 1
  }
fi
echo "rabbitmq: starting"
rabbitmq-server -detached >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  if rabbitmqctl -q await_startup >/dev/null 2>&1 && port_open; then
    echo "rabbitmq: up"
    exit 0
  fi
  sleep 1
done
echo "rabbitmq: did not start within 60 s" >&2
exit 1
