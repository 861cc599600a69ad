import type { SocketChannel } from '@ipc/socket';
import { errorCode, sleep } from '../suite/bounded.js';

/** A well-behaved client that keeps asking the server under attack, and counts its answers. */
export class GoodClient {
  /** Requests answered correctly. */
  served = 0;
  /** Requests that failed or timed out, with why. */
  readonly failures: string[] = [];
  private running = true;
  private loop: Promise<void> | undefined;

  private constructor(private readonly channel: SocketChannel) {}

  /** Connects to `address` and starts asking every 100 ms (each request bounded to 5 s). */
  static async start(address: string): Promise<GoodClient> {
    const { connect } = await import('@ipc/socket');
    const client = new GoodClient(await connect(address, { timeout: 10_000 }));
    client.loop = client.run();
    return client;
  }

  private async run(): Promise<void> {
    for (let i = 0; this.running; i++) {
      try {
        const reply = await this.channel.request({ ping: i }, { timeout: 5000 });
        if ((reply as { ping?: unknown }).ping === i) this.served++;
        else this.failures.push('a wrong reply');
      } catch (err) {
        this.failures.push(errorCode(err));
      }
      await sleep(100);
    }
  }

  /** Stops asking and closes the connection. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.channel.close();
  }

  /** `served n of m` and the failures. */
  summary(): string {
    const fails = this.failures.length === 0 ? '' : ` (failures: ${[...new Set(this.failures)].join(', ')})`;
    return `a well-behaved client served ${this.served} of ${this.served + this.failures.length}${fails}`;
  }
}
