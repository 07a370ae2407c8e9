// The `netlens` command line: the same engine as the language server, for CI pipelines.
import { checkCommand } from './checkCommand';
import { explainCommand } from './explainCommand';
import type { Command, CommandIo } from './command';
import { loadHclParser } from '../readers/terraform/hclParser';
import { flowsCommand } from './flowsCommand';
import { pathsCommand } from './pathsCommand';
import { planCommand } from './planCommand';
import { VERSION } from './version';

/** Every subcommand; add new ones here. */
const COMMANDS: readonly Command[] = [checkCommand, planCommand, flowsCommand, explainCommand, pathsCommand];

const OVERVIEW = `Usage: netlens <command> [options]

Commands:
${COMMANDS.map((command) => `  netlens ${command.synopsis}`).join('\n')}

Run 'netlens <command> --help' for a command's options.`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out).write(OVERVIEW + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`netlens: unknown command '${name}'.\n\n${OVERVIEW}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out.write(command.usage + '\n');
    return 0;
  }
  // Terraform's parser is WebAssembly: loaded before any command reads a file.
  await loadHclParser();
  return command.run(rest, io);
}

main(process.argv.slice(2), { out: process.stdout, err: process.stderr, cwd: process.cwd(), env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`netlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
