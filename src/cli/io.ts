/** What a CLI run reads and writes: injected, so tests drive the CLI in-process. */
export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

/** The real process's streams and environment. */
export function processIO(): CliIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * A mistake by the person at the keyboard (unknown user, taken e-mail, ...): printed as one
 * line, exit code 1, never with a stack (Django's CommandError).
 *
 * @example
 * throw new CliError("user 'kim@example.com' does not exist");
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Input ended or Ctrl-C was pressed at a prompt (Django: "Operation cancelled."). */
export class Cancelled extends CliError {
  constructor() {
    super('Operation cancelled.');
    this.name = 'Cancelled';
  }
}
