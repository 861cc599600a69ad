import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Inbox } from '@ipc/kit';

/** A harness control message between the W4 parent and its children (newline-delimited JSON). */
export type RoleControl =
  { t: 'ready' } | { t: 'go' } | { t: 'done'; count: number; idSum?: number } | { t: 'error'; error: string };

/** Newline-delimited JSON over a socketpair (fd 3 of a W4 child): ready, go, done. */
export class ControlPipe {
  private readonly inbox = new Inbox<RoleControl>();
  private rest = '';

  constructor(private readonly stream: Duplex) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (this.rest + chunk).split('\n');
      this.rest = lines.pop() ?? '';
      for (const line of lines) if (line !== '') this.inbox.push(JSON.parse(line) as RoleControl);
    });
    stream.on('end', () => this.inbox.end());
    stream.on('error', (err) => this.inbox.fail(err));
  }

  /** The control pipe of a child process: its fd 3. */
  static ofChild(): ControlPipe {
    return new ControlPipe(new Socket({ fd: 3, readable: true, writable: true }));
  }

  send(message: RoleControl): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve())),
    );
  }

  next(): Promise<RoleControl> {
    return this.inbox.recv();
  }

  close(): void {
    this.stream.destroy();
  }
}
