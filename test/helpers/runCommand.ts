// Runs a netlens subcommand in this process, as the CLI's main does, and collects what it writes.
import { Writable } from 'node:stream';
import type { Command } from '../../server/src/cli/command.ts';

export async function runCommand(command: Command, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await command.run(args, { out: sink((text) => (out += text)), err: sink((text) => (err += text)), cwd });
  return { code, out, err };
}
