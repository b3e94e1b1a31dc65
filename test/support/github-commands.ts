/**
 * Reads GitHub Actions workflow commands from a log as the runner does
 * (actions/runner, ActionCommand.TryParseV2): a line that starts with `::`
 * after leading white space, the name up to a space, properties split at
 * `,` and `=`, the data after the next `::`, each unescaped in the runner's
 * order (`%25` last).
 */
export interface WorkflowCommand {
  readonly command: string;
  readonly properties: { [name: string]: string };
  readonly data: string;
}

const DATA: Array<[string, string]> = [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']];
const PROPERTY: Array<[string, string]> = [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']];

function unescape(text: string, mappings: Array<[string, string]>): string {
  return mappings.reduce((s, [escaped, token]) => s.split(escaped).join(token), text);
}

/** The commands in `log`, one per line that is one. */
export function workflowCommands(log: string): WorkflowCommand[] {
  return log.split('\n').flatMap(line => {
    const message = line.trimStart();
    const end = message.indexOf('::', 2);
    if (!message.startsWith('::') || end < 0) {
      return [];
    }
    const info = message.slice(2, end);
    const space = info.indexOf(' ');
    const properties: { [name: string]: string } = {};
    if (space > 0) {
      for (const property of info.slice(space + 1).trim().split(',').filter(Boolean)) {
        const eq = property.indexOf('=');
        if (eq > 0 && eq < property.length - 1) {
          properties[property.slice(0, eq)] = unescape(property.slice(eq + 1), PROPERTY);
        }
      }
    }
    return [{ command: space < 0 ? info : info.slice(0, space), properties, data: unescape(message.slice(end + 2), DATA) }];
  });
}
