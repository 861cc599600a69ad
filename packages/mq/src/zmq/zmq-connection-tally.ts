import type * as zmq from 'zeromq';

/**
 * Counts a socket's peer connections from its monitor events. A connection counts once its ZMTP
 * handshake succeeded; libzmq reports a connection that failed before that (a probe that connects
 * and leaves, a non-ZeroMQ client) with a `handshake:error:*` event before its `disconnect`, so
 * those are taken off again. zeromq.js events carry no connection id, so this is a tally, not a
 * list.
 */
export class ZmqConnectionTally {
  private handshakes = 0;
  private failedHandshakes = 0;
  private disconnects = 0;

  /** Counts one event; returns whether it was a `disconnect`. */
  count(event: zmq.Event): boolean {
    if (event.type === 'handshake') this.handshakes++;
    else if (event.type.startsWith('handshake:error')) this.failedHandshakes++;
    else if (event.type === 'disconnect') {
      this.disconnects++;
      return true;
    }
    return false;
  }

  /** Connections that completed their handshake and have since gone. */
  get gone(): number {
    return Math.max(0, this.disconnects - this.failedHandshakes);
  }

  /** Connections that completed their handshake and are still there. */
  get live(): number {
    return Math.max(0, this.handshakes - this.gone);
  }
}
