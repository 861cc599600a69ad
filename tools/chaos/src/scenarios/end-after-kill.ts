import { errorCode, within, type Bounded } from '../suite/bounded.js';
import type { Tally } from '../suite/tally.js';
import { corruption } from '../peers/test-message.js';
import type { DeathTransport, ReceiveEnd } from '../peers/death-transports.js';

/** How long a receiver may take to report its peer's death. */
export const DEATH_BOUND_MS = 5000;

/** How long a receiver that cannot tell a death is watched for a stray message. */
export const SILENCE_MS = 2000;

/**
 * Receives after the peer was killed until the receiver ends, and files the trial in `row`: messages
 * still in flight must be intact and in order (from index `next`), then the receiver must end with one
 * of the transport's death codes within {@link DEATH_BOUND_MS} (or stay silent, when it cannot tell).
 */
export async function judgeEnd(
  transport: DeathTransport,
  end: ReceiveEnd,
  next: number,
  row: Tally,
  lastSent?: number,
): Promise<void> {
  const silentOk = transport.deathCodes.length === 0;
  for (let i = next; i < next + 10_000; i++) {
    const got: Bounded<unknown> = await within(end.recv(), silentOk ? SILENCE_MS : DEATH_BOUND_MS);
    if (got.kind === 'value') {
      const bad = corruption(got.value, i);
      if (bad !== undefined) return row.fail(bad);
      continue;
    }
    if (lastSent !== undefined && i <= lastSent) {
      return row.loss(lastSent + 1 - i, `${lastSent + 1 - i} message(s) sent before the kill never arrived`);
    }
    if (got.kind === 'hung') {
      return silentOk
        ? row.ok()
        : row.hang(`no error within ${DEATH_BOUND_MS / 1000} s of the peer's SIGKILL`);
    }
    const code = errorCode(got.error);
    if (transport.deathCodes.includes(code as never)) return row.ok();
    if (code === 'ERR_CLOSED') return row.fail('ERR_CLOSED after SIGKILL: a crash looks like a clean close');
    return row.fail(`${code} after SIGKILL${code.startsWith('untyped') ? `: ${String(got.error)}` : ''}`);
  }
  row.fail('more than 10,000 messages after the kill');
}
