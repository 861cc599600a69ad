import { IpcError } from '@ipc/core';

/** The command line of `npm run chaos`. */
export interface CliOptions {
  /** `--quick`: the bounded CI pass. */
  quick: boolean;
  /** `--only a,b`: run only these scenarios. */
  only: string[] | undefined;
  /** `--list`: print the scenarios and exit. */
  list: boolean;
}

/** Parses the command line (`--quick`, `--only <names>`, `--list`). */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const options: CliOptions = { quick: false, only: undefined, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--only') {
      const value = argv[++i];
      if (value === undefined) throw new IpcError('ERR_INVALID_ARGUMENT', '--only needs scenario names');
      options.only = value.split(',').filter((s) => s !== '');
    } else throw new IpcError('ERR_INVALID_ARGUMENT', `unknown option ${String(arg)}`);
  }
  return options;
}
