import { IpcError } from './errors.js';

/** One problem reported by a Standard Schema validator. */
export interface StandardSchemaIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where, as a path of keys. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The result of a Standard Schema validation. */
export type StandardSchemaResult<T> =
  | { readonly value: T; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/**
 * The Standard Schema v1 interface (standardschema.dev) that zod, valibot, arktype and others
 * implement. Declared here so that @ipc depends on none of them.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The standard properties. */
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/**
 * A `validate` option: a Standard Schema (zod, valibot…) or a function that returns the message
 * (possibly transformed) or throws. Synchronous only: a validator that returns a promise is refused.
 */
export type MessageValidator<T> = StandardSchemaV1<unknown, T> | ((value: unknown) => T);

/** Turns a {@link MessageValidator} into a function that returns the valid message or throws `ERR_INVALID_MESSAGE`. */
export function compileValidator<T>(validator: MessageValidator<T>): (value: unknown) => T {
  if (typeof validator === 'function') {
    return (value) => {
      try {
        return validator(value);
      } catch (err) {
        throw new IpcError(
          'ERR_INVALID_MESSAGE',
          `invalid message: ${err instanceof Error ? err.message : String(err)}`,
          {
            cause: err,
          },
        );
      }
    };
  }
  const standard = (validator as Partial<StandardSchemaV1<unknown, T>> | null)?.['~standard'];
  if (typeof standard?.validate !== 'function') {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'validate must be a function or a Standard Schema validator');
  }
  return (value) => {
    const result = standard.validate(value);
    if (result instanceof Promise) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'asynchronous validators are not supported; use a synchronous schema',
      );
    }
    if (result.issues !== undefined) {
      const text = result.issues.map((issue) => formatIssue(issue)).join('; ');
      throw new IpcError('ERR_INVALID_MESSAGE', `invalid message: ${text}`, { cause: result.issues });
    }
    return result.value;
  };
}

function formatIssue(issue: StandardSchemaIssue): string {
  if (!issue.path || issue.path.length === 0) return issue.message;
  const path = issue.path.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
  return `${path}: ${issue.message}`;
}
