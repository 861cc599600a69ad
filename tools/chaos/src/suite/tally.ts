/** One row of the report table: how the trials of one case went. */
export class Tally {
  /** Trials started. */
  tried = 0;
  /** Trials that ended as they must. */
  survived = 0;
  /** Messages lost (or trials that lost data). */
  lost = 0;
  /** Trials that did not end within their bound. */
  hung = 0;
  /** Trials that ended wrongly: an untyped or wrong error, corrupt data, unbounded memory. */
  wrong = 0;
  /** Set when the case could not run at all; the row then neither passes nor fails. */
  skipped: string | undefined;
  private readonly noteCounts = new Map<string, number>();
  private readonly facts: string[] = [];

  /** @param name - the case's name in the table */
  constructor(readonly name: string) {}

  /** A trial that ended as it must. */
  ok(): void {
    this.tried++;
    this.survived++;
  }

  /** A trial that ended wrongly, with why (notes of the same text are counted, not repeated). */
  fail(why: string): void {
    this.tried++;
    this.wrong++;
    this.note(why);
  }

  /** A trial that hung, with what it waited for. */
  hang(what: string): void {
    this.tried++;
    this.hung++;
    this.note(`hung: ${what}`);
  }

  /** A trial that lost `count` messages (counted in `lost`), with how. */
  loss(count: number, why: string): void {
    this.tried++;
    this.lost += count;
    this.note(why);
  }

  /** Adds a note (counted when repeated). */
  note(text: string): void {
    this.noteCounts.set(text, (this.noteCounts.get(text) ?? 0) + 1);
  }

  /** Adds a measured fact (shown once, in order), such as a memory figure. */
  fact(text: string): void {
    this.facts.push(text);
  }

  /** Marks the case as not run, with the reason. */
  skip(reason: string): void {
    this.skipped = reason;
  }

  /** True when every trial survived (and at least one ran, or the case was skipped). */
  get passed(): boolean {
    if (this.skipped !== undefined) return true;
    return this.tried > 0 && this.survived === this.tried && this.lost === 0 && this.hung === 0;
  }

  /** The notes column. */
  get notes(): string {
    if (this.skipped !== undefined) return `skipped: ${this.skipped}`;
    const counted = [...this.noteCounts].map(([text, n]) => (n > 1 ? `${text} (×${n})` : text));
    if (this.tried === 0) counted.unshift('no trial ran');
    return [...counted, ...this.facts].join('; ');
  }
}
