/**
 * `sidecar-first COMMAND [options]`: the CLI's entry point, shared by
 * `bin/sidecar-first` and the kubectl plugin `bin/kubectl-sidecar_first`.
 * @internal
 */
import { CHECK } from './check-command';
import { OBSERVE } from './observe-command';
import { packageVersion } from './package-info';
import { POLICY } from './policy-command';
import { CliIo, parseCommandLine, Subcommand, UsageError } from './subcommand';
import { isLibraryError } from '../private/errors';

/* eslint-disable @typescript-eslint/no-explicit-any */

export type { CliIo } from './subcommand';

/** Every subcommand: one module each under src/cli/, one entry here. */
const SUBCOMMANDS: readonly Subcommand[] = [CHECK, OBSERVE, POLICY];

const USAGE = `Usage: sidecar-first COMMAND [options]

Commands:
${SUBCOMMANDS.map(c => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Options:
  --version     print the version
  -h, --help    this text; sidecar-first COMMAND --help tells about COMMAND

As a kubectl plugin: kubectl sidecar-first COMMAND [options].`;

const PROCESS_IO: CliIo = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stdin: () => process.stdin,
};

/**
 * Runs the CLI; resolves to the exit status.
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version') {
    io.stdout(`sidecar-first ${packageVersion()}\n`);
    return 0;
  }
  if (name === '-h' || name === '--help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const command = SUBCOMMANDS.find(c => c.name === name);
  if (!command) {
    return usageError(io, name === undefined ? 'no command given' : `unknown command "${name}"`, USAGE);
  }
  try {
    const args = parseCommandLine({ ...command.options, ...COMMON_OPTIONS }, rest);
    if (args.values.help) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    if (args.values.version) {
      io.stdout(`sidecar-first ${packageVersion()}\n`);
      return 0;
    }
    return await command.run(args, io);
  } catch (e: any) {
    if (e instanceof UsageError || isLibraryError(e)) {
      return usageError(io, e.message, command.usage);
    }
    throw e;
  }
}

/** Options every subcommand has. */
const COMMON_OPTIONS: Subcommand['options'] = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

function usageError(io: CliIo, message: string, usage: string): number {
  // The library's own errors already say where: "sidecar-first: --kubernetes-version is ...".
  io.stderr(`${message.startsWith('sidecar-first: ') ? '' : 'sidecar-first: '}${message}\n\n${usage}\n`);
  return 2;
}
