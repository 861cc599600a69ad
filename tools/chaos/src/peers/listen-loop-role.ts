/** Arguments of the `listen-loop` role. */
export interface ListenLoopArgs {
  /** The socket file's path. */
  path: string;
}

/** The `listen-loop` role: listens on a Unix socket file and closes, over and over, until killed. */
export async function listenLoopRole(args: ListenLoopArgs): Promise<void> {
  const { listen } = await import('@ipc/socket');
  for (let n = 0; ; n++) {
    const server = await listen(`unix://${args.path}`);
    if (n === 0) process.stdout.write('listening\n');
    await server.close();
  }
}
