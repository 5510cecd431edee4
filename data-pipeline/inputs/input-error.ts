/**
 * The error every input reader throws for bad input: it names the file and
 * the feature or line, so the CLI can print one line that says what to fix.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}: ${where}: ${problem}`);
    this.name = 'InputError';
  }
}
