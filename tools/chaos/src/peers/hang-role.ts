/** The `hang` role: says `hanging`, then does nothing until killed (the harness self-test's peer). */
export async function hangRole(): Promise<void> {
  process.stdout.write('hanging\n');
  setInterval(() => undefined, 60_000);
}
