/**
 * The kubelet rules of kubelet-rules.ts that CEL can decide, as the
 * variables and validations of a ValidatingAdmissionPolicy. Each validation
 * is tagged with its finding ID (findings.ts) and builds its message from
 * kubelet-rules.ts's WAIT_MESSAGES, so that the API server says what
 * `sidecar-first check` says. Where CEL cannot decide (does a shell script
 * poll? does a named port resolve?), the policy admits: every case is listed
 * in docs/admission-policy.md, and test/admission-policy.test.ts measures the
 * misses against the analyzer.
 * @internal
 */
import { SidecarAnalyzer } from '../../analyzer/sidecar-analyzer';
import { SIDECAR_FIRST_HOOK } from '../compiler/hook-arguments';
import { FindingId, FINDINGS } from '../rules/findings';
import { KNOWN_WAITERS } from '../rules/known-sidecars';
import { WAIT_MESSAGES } from '../rules/kubelet-rules';

/** A named CEL expression (a policy variable). @internal */
export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

/** One validation: `list` is a variable holding the message of every container that breaks the rule. @internal */
export interface CelValidation {
  readonly id: FindingId;
  readonly expression: string;
  readonly messageExpression: string;
}

const GATE_FIX = 'give it a startupProbe that checks what its readinessProbe checks (a native sidecar), or a postStart hook that polls until it is ready';
const HOOK_FIX = 'replace the hook with one that polls until the sidecar is ready and gives up after a while, or (native sidecar) with a startupProbe';

/** What to do about each finding the policy reports, appended to its message. */
const FIXES: { readonly [id: string]: string } = {
  SF101: 'make it a native sidecar (restartPolicy: Always) with a startupProbe, or drop it from the sidecar-first.dev/sidecars annotation',
  SF102: GATE_FIX,
  SF103: GATE_FIX,
  SF104: GATE_FIX,
  SF105: 'list it before the app containers, or make it a native sidecar (initContainers, restartPolicy: Always) with a startupProbe',
  SF106: HOOK_FIX,
  SF107: HOOK_FIX,
  SF108: HOOK_FIX,
  SF109: HOOK_FIX,
  SF111: 'make the startupProbe check what the readinessProbe checks (same action, same port)',
};

/** A CEL string literal. */
export function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

const HOLE = '\u0000';

/**
 * A message of WAIT_MESSAGES as a CEL string expression: `args` are CEL
 * expressions put where the message's arguments go.
 */
function celMessage<A extends string[]>(message: (...a: A) => string, ...args: string[]): string {
  const text = (message as (...a: string[]) => string)(...args.map((_, i) => `${HOLE}${i}${HOLE}`));
  return text.split(HOLE).map((part, i) => (i % 2 === 1 ? `(${args[Number(part)]})` : celString(part))).filter(p => p !== '\'\'').join(' + ');
}

/** The postStart hook of container `c` exists. */
const hook = (c: string) => `(has(${c}.lifecycle) && has(${c}.lifecycle.postStart))`;
const execHook = (c: string) => `(${hook(c)} && has(${c}.lifecycle.postStart.exec))`;
/** For a legacy sidecar: an app container comes before it (its hook, if any, holds none of the app). */
const appBefore = (c: string) => `(variables.firstApp >= 0 && variables.containerNames.indexOf(${c}.name) > variables.firstApp)`;

/** A shell loop keyword, a known waiter, or the library's own hook: the command may poll, and the policy admits it. */
const MAY_POLL = [String.raw`\b(until|while|for)\b`, ...KNOWN_WAITERS.map(w => w.command.source), SIDECAR_FIRST_HOOK].join('|');

/** The repository of image `i` without tag and digest (the registry host is kept: images match by suffix). */
const repository = (i: string) => `[${i}.split('@')[0]].map(d, d.matches(':[^/]*$') ? d.substring(0, d.lastIndexOf(':')) : d)[0]`;

/** A probe's port, when it is a number (a named port is not resolved: no finding). */
const intPort = (p: string) => `(has(${p}.httpGet) ? dyn(${p}.httpGet.port) : has(${p}.tcpSocket) ? dyn(${p}.tcpSocket.port) : has(${p}.grpc) ? dyn(${p}.grpc.port) : dyn(''))`;
/** Behind a probe proxy that puts the target port first in the path (kubelet-rules.ts's viaProxy). */
const proxied = (p: string) => `(has(${p}.httpGet) && has(${p}.httpGet.path) && ${p}.httpGet.path.matches('^/[0-9]{1,5}(/|$)'))`;
/** The first action of a probe, in kubelet-rules.ts's order: httpGet, tcpSocket, grpc, exec. */
const action = (p: string) => `(has(${p}.httpGet) ? 'httpGet' : has(${p}.tcpSocket) ? 'tcpSocket' : has(${p}.grpc) ? 'grpc' : has(${p}.exec) ? 'exec' : '')`;

/**
 * The policy's variables, in order (each may use the ones before): the pod
 * spec wherever the kind keeps it, the sidecars as check finds them, and the
 * known-sidecar parameters.
 * @internal
 */
export function celVariables(): CelVariable[] {
  const template = (path: string) => `has(${path}.metadata) && has(${path}.metadata.annotations) ? ${path}.metadata.annotations : {}`;
  // Names and images: one a line or comma-separated; patterns (which may hold commas): one a line.
  const param = (key: string, separator: string) => `has(params.data) && '${key}' in params.data ? params.data['${key}']${separator === ',' ? '.replace(\'\\n\', \',\')' : ''}.split('${separator === ',' ? ',' : '\\n'}').map(s, s.trim()).filter(s, s != '') : []`;
  return [
    { name: 'spec', expression: 'object.kind == \'Pod\' ? object.spec : object.kind == \'CronJob\' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec' },
    {
      name: 'annotations',
      expression: `object.kind == 'Pod' ? (${template('object')}) : object.kind == 'CronJob' ? (${template('object.spec.jobTemplate.spec.template')}) : (${template('object.spec.template')})`,
    },
    { name: 'named', expression: `'${SidecarAnalyzer.SIDECARS_ANNOTATION}' in variables.annotations ? variables.annotations['${SidecarAnalyzer.SIDECARS_ANNOTATION}'].split(',').map(n, n.trim()).filter(n, n != '') : []` },
    { name: 'inits', expression: 'has(variables.spec.initContainers) ? variables.spec.initContainers : []' },
    { name: 'containers', expression: 'variables.spec.containers' },
    { name: 'containerNames', expression: 'variables.containers.map(c, c.name)' },
    { name: 'knownNames', expression: param('names', ',') },
    { name: 'knownImages', expression: param('images', ',') },
    { name: 'knownNamePatterns', expression: param('namePatterns', '\n') },
    {
      name: 'known',
      expression: 'variables.containers.filter(c, c.name in variables.knownNames || variables.knownNamePatterns.exists(p, c.name.matches(p))'
        + ` || (has(c.image) && [${repository('c.image')}].exists(i, variables.knownImages.exists(r, i == r || i.endsWith('/' + r))))).map(c, c.name)`,
    },
    // Containers that are surely apps: not known, not named, no exec hook (which might poll, making it a sidecar for check).
    { name: 'apps', expression: `variables.containers.filter(c, !(c.name in variables.known) && !(c.name in variables.named) && !${execHook('c')}).map(c, c.name)` },
    { name: 'firstApp', expression: 'size(variables.apps) > 0 ? variables.containerNames.indexOf(variables.apps[0]) : -1' },
    { name: 'native', expression: 'variables.inits.filter(c, has(c.restartPolicy) && c.restartPolicy == \'Always\')' },
    { name: 'legacy', expression: 'variables.containers.filter(c, c.name in variables.named || (size(variables.apps) > 0 && c.name in variables.known))' },
  ];
}

/** A rule on a sidecar: its finding, the condition for a native and for a legacy sidecar (undefined: does not apply), its message. */
interface SidecarRule {
  readonly id: FindingId;
  readonly native?: string;
  readonly legacy?: string;
  /** A CEL string expression on container `c`. */
  readonly message: string;
}

function sidecarRules(): SidecarRule[] {
  const noGate = { native: `!has(c.startupProbe) && !${hook('c')}`, legacy: `(${appBefore('c')} || !${hook('c')})` };
  const onHook = { native: `!has(c.startupProbe) && ${hook('c')}`, legacy: `!${appBefore('c')} && ${hook('c')}` };
  const both = (condition: string) => ({ native: `${noGate.native} && ${condition}`, legacy: `${noGate.legacy} && ${condition}` });
  const hooked = (condition: string) => ({ native: `${onHook.native} && ${condition}`, legacy: `${onHook.legacy} && ${condition}` });
  const h = 'c.lifecycle.postStart';
  const command = `${h}.exec.command.join(' ')`;
  const s = 'c.startupProbe';
  const r = 'c.readinessProbe';
  const portText = (p: string) => `string(${intPort(p)})`;
  return [
    { id: 'SF102', ...both('has(c.readinessProbe)'), message: celMessage(WAIT_MESSAGES.SF102) },
    { id: 'SF103', ...both('!has(c.readinessProbe) && has(c.livenessProbe)'), message: celMessage(WAIT_MESSAGES.SF103) },
    { id: 'SF104', ...both('!has(c.readinessProbe) && !has(c.livenessProbe)'), message: celMessage(WAIT_MESSAGES.SF104) },
    { id: 'SF105', legacy: appBefore('c'), message: celMessage(WAIT_MESSAGES.SF105, 'variables.apps[0]') },
    { id: 'SF107', ...hooked(`has(${h}.tcpSocket)`), message: celMessage(WAIT_MESSAGES.SF107) },
    { id: 'SF108', ...hooked(`!has(${h}.tcpSocket) && has(${h}.sleep)`), message: celMessage(WAIT_MESSAGES.SF108, `string(${h}.sleep.seconds)`) },
    { id: 'SF106', ...hooked(`!has(${h}.tcpSocket) && !has(${h}.sleep) && has(${h}.httpGet)`), message: celMessage(WAIT_MESSAGES.SF106) },
    {
      id: 'SF109',
      ...hooked(`!has(${h}.tcpSocket) && !has(${h}.sleep) && !has(${h}.httpGet) && has(${h}.exec) && has(${h}.exec.command) && size(${h}.exec.command) > 0 && !${command}.matches(${celString(MAY_POLL)})`),
      // Up to 80 characters of the command on one line, as check shows it (check also folds runs of blanks).
      message: celMessage(WAIT_MESSAGES.SF109, `'"' + [${command}.replace('\\n', ' ').replace('\\t', ' ')].map(t, size(t) > 80 ? t.substring(0, 77) + '...' : t)[0] + '"'`),
    },
    {
      id: 'SF111',
      native: `has(${s}) && has(c.readinessProbe) && ${action(s)} == 'tcpSocket' && ${action(r)} != 'tcpSocket' && ${action(r)} != ''`,
      message: celMessage(WAIT_MESSAGES.SF111Tcp, portText(s), `${action(r)} + (type(${intPort(r)}) == int ? ' on port ' + ${portText(r)} : '')`),
    },
    {
      id: 'SF111',
      native: `has(${s}) && has(c.readinessProbe) && !(${action(s)} == 'tcpSocket' && ${action(r)} != 'tcpSocket' && ${action(r)} != '') && `
        + `!(${proxied(s)} && ${proxied(r)}) && type(${intPort(s)}) == int && type(${intPort(r)}) == int && ${intPort(s)} != ${intPort(r)}`,
      message: celMessage(WAIT_MESSAGES.SF111Port, portText(s), portText(r)),
    },
    {
      // Behind a probe proxy (Kuma's virtual probes: `:9000/8081/metrics`) the target port in the path counts, as in the analyzer.
      id: 'SF111',
      native: `has(${s}) && has(c.readinessProbe) && ${proxied(s)} && ${proxied(r)} && type(${s}.httpGet.port) == int && type(${r}.httpGet.port) == int`
        + ` && string(${s}.httpGet.port) + '/' + ${s}.httpGet.path.split('/')[1] != string(${r}.httpGet.port) + '/' + ${r}.httpGet.path.split('/')[1]`,
      message: celMessage(WAIT_MESSAGES.SF111Port, `string(${s}.httpGet.port) + '/' + ${s}.httpGet.path.split('/')[1]`, `string(${r}.httpGet.port) + '/' + ${r}.httpGet.path.split('/')[1]`),
    },
  ];
}

/** The text of a finding in a message: `sidecar "NAME": SF104 error: WORDS. Fix: FIX`. */
function line(id: FindingId, message: string): string {
  return `'sidecar "' + c.name + '": ${id} ${FINDINGS[id].severity}: ' + ${message} + ${celString(`. Fix: ${FIXES[id]}`)}`;
}

/**
 * The policy's validations: one per finding ID, failing when any sidecar
 * breaks the rule, with a message naming the first such sidecar and how many more.
 * @internal
 */
export function celValidations(): { variables: CelVariable[]; validations: CelValidation[] } {
  const byId = new Map<FindingId, string[]>();
  const add = (id: FindingId, list: string) => byId.set(id, [...byId.get(id) ?? [], list]);
  add('SF101', `variables.inits.filter(c, c.name in variables.named && !(has(c.restartPolicy) && c.restartPolicy == 'Always')).map(c, ${line('SF101', celMessage(WAIT_MESSAGES.SF101))})`);
  for (const rule of sidecarRules()) {
    if (rule.native) {
      add(rule.id, `variables.native.filter(c, ${rule.native}).map(c, ${line(rule.id, rule.message)})`);
    }
    if (rule.legacy) {
      add(rule.id, `variables.legacy.filter(c, ${rule.legacy}).map(c, ${line(rule.id, rule.message)})`);
    }
  }
  const variables = celVariables();
  const validations: CelValidation[] = [];
  for (const [id, lists] of byId) {
    const name = id.toLowerCase();
    variables.push({ name, expression: lists.join(' + ') });
    // The first sidecar's message, and how many more: the API server drops a message over 5 KiB for the static one.
    validations.push({
      id,
      expression: `size(variables.${name}) == 0`,
      messageExpression: `variables.${name}[0] + (size(variables.${name}) > 1 ? ' (and ' + string(size(variables.${name}) - 1) + ' more sidecars)' : '')`,
    });
  }
  return { variables, validations };
}
