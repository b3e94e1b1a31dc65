/**
 * What every subcommand of the CLI is: a name, its options (for Node's
 * `util.parseArgs`), its usage text and what it runs. A new subcommand is a
 * module that exports one, and an entry in main.ts's table.
 * @internal
 */
import { parseArgs } from 'util';

/** What the CLI writes to and reads from; a test can capture it. @internal */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => AsyncIterable<string | Buffer>;
  /**
   * The working directory: where `.sidecar-first.yaml` is looked for, and
   * what file locations in SARIF and GitHub output are relative to.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** An option as `util.parseArgs` takes it. @internal */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

/** The parsed command line of a subcommand. @internal */
export interface ParsedArgs {
  readonly values: { readonly [name: string]: string | boolean | string[] | undefined };
  readonly positionals: string[];
}

/** @internal */
export interface Subcommand {
  readonly name: string;
  /** One line for `sidecar-first --help`. */
  readonly summary: string;
  /** `sidecar-first NAME --help`. */
  readonly usage: string;
  readonly options: { readonly [name: string]: OptionSpec };
  /** Runs it; resolves to the exit status. Throws a UsageError for a bad command line. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/**
 * A bad command line: exit 2 with the message and the usage.
 * @internal
 */
export class UsageError extends Error {}

/**
 * Parses a subcommand's arguments with `util.parseArgs`. Its own messages
 * name the option in its words; these keep the CLI's: `unknown option
 * "--x"`, `--format needs a value`, `--require-ready takes no value`.
 * @internal
 */
export function parseCommandLine(options: Subcommand['options'], args: readonly string[]): ParsedArgs {
  const { values, positionals, tokens } = parseArgs({
    args: [...args], options: options as { [name: string]: OptionSpec }, allowPositionals: true, strict: false, tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') {
      continue;
    }
    const spec = options[token.name];
    if (!spec) {
      throw new UsageError(`unknown option "${token.rawName}"`);
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
    if (spec.type === 'boolean' && token.inlineValue) {
      throw new UsageError(`${token.rawName} takes no value`);
    }
  }
  return { values: values as ParsedArgs['values'], positionals };
}
