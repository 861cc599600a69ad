import { execFile, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../suite/bounded.js';
import { CHAOS_PREFIX } from '../suite/run-suite.js';

/** Whether `port` on 127.0.0.1 is free to listen on. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function portOpen(port: number): Promise<boolean> {
  return portFree(port).then((free) => !free);
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ms: number,
): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: ms }, (err, stdout, stderr) =>
      resolve({ ok: err === null, out: `${stdout}${stderr}`.trim().split('\n').slice(-3).join(' / ') }),
    );
  });
}

/**
 * A RabbitMQ node of the suite's own (never the shared broker on 5672): its own node name, AMQP and
 * distribution ports, config, data and log folder in /tmp, removed by {@link PrivateRabbit.stop}.
 */
export class PrivateRabbit {
  private constructor(
    /** The node name (`ipc-chaos-<pid>@localhost`). */
    readonly node: string,
    /** Its AMQP port on 127.0.0.1. */
    readonly port: number,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The AMQP URL of the node. */
  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** Why a private node cannot run here, or undefined. */
  static unavailable(): string | undefined {
    if (spawnSync('sh', ['-c', 'command -v rabbitmq-server && command -v rabbitmqctl']).status !== 0) {
      return 'rabbitmq-server is not installed';
    }
    if (process.getuid?.() !== 0)
      return 'starting a private RabbitMQ node needs root (the Debian scripts su to rabbitmq)';
    return undefined;
  }

  /** Starts a node and waits (at most `ms`) until it accepts AMQP connections. */
  static async start(ms: number): Promise<PrivateRabbit> {
    let port = 0;
    for (const candidate of [5673, 5683, 5693, 5703, 5713]) {
      if ((await portFree(candidate)) && (await portFree(candidate + 20_000))) {
        port = candidate;
        break;
      }
    }
    if (port === 0) throw new Error('no free port pair for a private node');
    const dir = mkdtempSync(join(tmpdir(), `${CHAOS_PREFIX}rabbitmq-`));
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
    const ids = spawnSync('id', ['-u', 'rabbitmq'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'rabbitmq'], { encoding: 'utf8' });
    if (ids.status === 0 && gid.status === 0) {
      for (const p of [dir, join(dir, 'enabled_plugins'), join(dir, 'rabbitmq.conf')]) {
        chownSync(p, Number(ids.stdout), Number(gid.stdout));
      }
    }
    const node = `ipc-chaos-${process.pid}@localhost`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(port + 20_000),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_PID_FILE: join(dir, 'pid'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    };
    const rabbit = new PrivateRabbit(node, port, dir, env);
    const started = await run('rabbitmq-server', ['-detached'], env, 60_000);
    if (!started.ok) {
      await rabbit.stop();
      throw new Error(`rabbitmq-server -detached failed: ${started.out}`);
    }
    if (!(await rabbit.waitUp(ms))) {
      await rabbit.stop();
      throw new Error(`the private node did not start within ${ms / 1000} s`);
    }
    return rabbit;
  }

  private ctl(args: string[], ms = 120_000): Promise<{ ok: boolean; out: string }> {
    return run('rabbitmqctl', ['-n', this.node, ...args], this.env, ms);
  }

  private async waitUp(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await portOpen(this.port)) return (await this.ctl(['await_startup'], 60_000)).ok;
      await sleep(1000);
    }
    return false;
  }

  /** Restarts the broker application (stop_app, start_app): every connection drops, durable data stays. */
  async restart(ms: number): Promise<void> {
    const stopped = await this.ctl(['stop_app']);
    if (!stopped.ok) throw new Error(`stop_app failed: ${stopped.out}`);
    const startedApp = await this.ctl(['start_app']);
    if (!startedApp.ok) throw new Error(`start_app failed: ${startedApp.out}`);
    if (!(await this.waitUp(ms))) throw new Error('the node did not come back');
  }

  /** Stops the node (bounded) and removes its folder. */
  async stop(): Promise<void> {
    await this.ctl(['stop'], 60_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
