/** An error as one line of text (no stack): `code: message`. */
export function oneLine(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const text = `${typeof code === 'string' && !err.message.includes(code) ? `${code}: ` : ''}${err.message}`;
    return text.replace(/\s+/g, ' ').trim().slice(0, 300);
  }
  return String(err).replace(/\s+/g, ' ').trim().slice(0, 300);
}
