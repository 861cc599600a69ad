/** Arguments of the `socket-server` role. */
export interface SocketServerArgs {
  /** Where to listen (`unix://…` or `tcp://127.0.0.1:0`). */
  address: string;
  /** Optional authkey (string). */
  authkey?: string;
  /** Optional maxConnections. */
  maxConnections?: number;
}

/**
 * The `socket-server` role: an @ipc/socket echo server (each request's body is its reply). Prints
 * `listening <address>`, then `mem <json>` (its process.memoryUsage()) four times a second.
 */
export async function socketServerRole(args: SocketServerArgs): Promise<void> {
  const { listen } = await import('@ipc/socket');
  const server = await listen(args.address, {
    ...(args.authkey !== undefined ? { authkey: args.authkey } : {}),
    ...(args.maxConnections !== undefined ? { maxConnections: args.maxConnections } : {}),
    onError: () => undefined,
  });
  server.handle(async (body: unknown) => body);
  const a = server.address;
  process.stdout.write(
    `listening ${a.kind === 'unix' ? `unix://${a.path}` : `tcp://127.0.0.1:${(a as { port: number }).port}`}\n`,
  );
  const tell = (): void => {
    const m = process.memoryUsage();
    process.stdout.write(
      `mem ${JSON.stringify({ heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss })}\n`,
    );
  };
  tell();
  setInterval(tell, 250);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
