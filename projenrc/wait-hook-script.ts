/**
 * Generates src/private/compiler/wait-hook-script.ts from wait-hook.sh, so the
 * script is a real, shellcheck-able file and still ships as a string constant
 * (no file read at run time, in ts-jest, jsii's lib/ or the npm package).
 * Run by `npx projen wait-hook-script`, before compile and test.
 */
import * as fs from 'fs';
import * as path from 'path';

export const WAIT_HOOK_SH = path.join(__dirname, '..', 'src', 'private', 'compiler', 'wait-hook.sh');
export const WAIT_HOOK_SCRIPT_TS = path.join(__dirname, '..', 'src', 'private', 'compiler', 'wait-hook-script.ts');

/**
 * The TypeScript module for the script `sh`: comment-only and blank lines
 * dropped (the script is in every pod spec; it has no here-documents, so no
 * line starting with `#` is data).
 */
export function waitHookScriptModule(sh: string): string {
  const script = sh.split('\n').filter(line => line.trim() !== '' && !line.trim().startsWith('#')).join('\n') + '\n';
  return [
    '// Generated from wait-hook.sh by `npx projen wait-hook-script`: do not edit.',
    '',
    '/**',
    ' * The postStart wait hook (wait-hook.sh, without its comments).',
    ' * @internal',
    ' */',
    `export const WAIT_SCRIPT = ${JSON.stringify(script)};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.writeFileSync(WAIT_HOOK_SCRIPT_TS, waitHookScriptModule(fs.readFileSync(WAIT_HOOK_SH, 'utf8')));
}
