import { IpcError } from '@ipc/core';

/** The optional peer dependencies of @ipc/mq, and the entry point that needs each. */
const ENTRY_OF = { zeromq: '@ipc/mq/zmq', amqplib: '@ipc/mq/amqp' } as const;

/** An optional peer dependency of @ipc/mq: `zeromq` (for `@ipc/mq/zmq`) or `amqplib` (for `@ipc/mq/amqp`). */
export type OptionalPeer = keyof typeof ENTRY_OF;

/** Whether `err` says that `name` itself (not something it imports) is not installed. */
function isMissing(err: unknown, name: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = String((err as { message?: unknown }).message);
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

/**
 * Loads an optional peer dependency with a dynamic `import()`, so an entry point costs nothing
 * until it is used and a project that never uses it need not install its library.
 *
 * @param name - the package to load
 * @param load - `() => import(name)`, written out by the caller (so bundlers and types see it)
 * @returns its module namespace
 * @throws IpcError `ERR_UNSUPPORTED` naming `npm install <name>` when it is not installed, or when
 *   it is installed but does not load (e.g. its native addon is missing for this platform)
 */
export async function loadOptionalPeer<M>(name: OptionalPeer, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (err) {
    if (isMissing(err, name)) {
      throw new IpcError(
        'ERR_UNSUPPORTED',
        `${ENTRY_OF[name]} needs the '${name}' package, which is not installed: run \`npm install ${name}\``,
        { cause: err },
      );
    }
    throw new IpcError(
      'ERR_UNSUPPORTED',
      `${ENTRY_OF[name]} could not load '${name}' (${(err as Error).message?.split('\n')[0]}): ` +
        `reinstall it with \`npm install ${name}\``,
      { cause: err },
    );
  }
}
