import { createLogUpdate } from 'log-update';
import type { Workload } from '../adapter.js';
import { formatDuration, formatFigure } from '../report/format.js';
import { headlineOf, type ResultRecord } from '../run/result-record.js';

const UNITS: Record<Workload, string> = { W1: 'µs', W2: 'msgs/s', W3: 'MiB/s', W4: 'msgs/s' };

/** Live progress on a terminal (log-update redraws a small block); plain lines otherwise (CI, pipes). */
export class Progress {
  private total = 0;
  private done = 0;
  private failed = 0;
  private started = 0;
  private current = '';
  private last = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly live: ReturnType<typeof createLogUpdate> | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    tty: boolean = stream.isTTY === true && process.env['CI'] === undefined,
  ) {
    this.live = tty ? createLogUpdate(stream, { showCursor: false }) : undefined;
  }

  start(total: number, title: string): void {
    this.total = total;
    this.started = Date.now();
    if (this.live === undefined) this.stream.write(`${title}: ${total} case runs\n`);
    else this.timer = setInterval(() => this.render(), 250);
  }

  caseStarted(peer: string, workload: Workload, launch: number, launches: number): void {
    this.current = `${workload} ${peer}${launches > 1 ? ` (launch ${launch}/${launches})` : ''}`;
    this.render();
  }

  caseDone(record: ResultRecord): void {
    this.done += 1;
    if (!record.ok) this.failed += 1;
    const value = headlineOf(record);
    this.last = `${record.workload} ${record.peer}: ${
      record.ok
        ? `${formatFigure(value, record.workload)} ${UNITS[record.workload]}`
        : `FAILED — ${record.error}`
    }`;
    if (record.leftovers !== undefined) this.last += ` — left behind: ${record.leftovers.join(', ')}`;
    if (this.live === undefined) {
      this.stream.write(`[${this.done}/${this.total}] ${this.last} (${formatDuration(record.wall_ms)})\n`);
    } else this.render();
  }

  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.live !== undefined) {
      this.render();
      this.live.done();
    }
    this.stream.write(
      `${this.done} case runs in ${formatDuration(Date.now() - this.started)}${this.failed > 0 ? `, ${this.failed} failed` : ''}\n`,
    );
  }

  private render(): void {
    if (this.live === undefined) return;
    const width = 28;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const elapsed = Date.now() - this.started;
    const left =
      this.done > 0 && this.done < this.total
        ? ` · ~${formatDuration((elapsed / this.done) * (this.total - this.done))} left`
        : '';
    const lines = [
      `bench  ${bar}  ${this.done}/${this.total} cases · ${formatDuration(elapsed)} elapsed${left}${
        this.failed > 0 ? ` · ${this.failed} failed` : ''
      }`,
      `  now  ${this.done < this.total ? this.current : 'done'}`,
    ];
    if (this.last !== '') lines.push(`  last ${this.last}`);
    this.live(lines.join('\n'));
  }
}
