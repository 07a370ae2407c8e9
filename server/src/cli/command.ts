// What a `netlens` subcommand is: a name, a usage text, and a function from arguments to an exit code.

export interface CommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly cwd: string;
  /** The environment (NO_COLOR, FORCE_COLOR); none when left out. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  /** One line for the overview: `flows [--format txt|json|dot] <paths...>`. */
  readonly synopsis: string;
  /** The full help text of the command. */
  readonly usage: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Writes `netlens: <message>` and the usage to stderr; returns the usage-error exit code. */
export function usageError(io: CommandIo, command: Command, message: string): number {
  io.err.write(`netlens: ${message}\n\n${command.usage}\n`);
  return 2;
}
