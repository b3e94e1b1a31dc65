import * as fs from 'fs';
import * as path from 'path';

/**
 * Every relative link of the documentation resolves: the file (or folder)
 * exists and, for `#anchor`, so does the heading, by GitHub's rules for
 * heading anchors. The README is cut into docs/ pages, so a moved section is
 * a broken link unless every page that pointed at it follows.
 */
const ROOT = path.join(__dirname, '..');

/**
 * README.md and docs/*.md. Not the API references (API.md, docs/api/): jsii-docgen generates them
 * (the docgen task) with anchors on HTML headings and link texts this checker does not parse.
 */
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)];

/** The Markdown outside fenced code blocks and inline code spans, where links are links. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)[^`\n][\s\S]*?\1/g, '');
}

/** GitHub's anchor for a heading: its text, lower-cased, without punctuation but '-' and '_', spaces as '-'. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/<[^>]+>/g, '') // HTML tags show nothing
    .replace(/`/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor of a Markdown page: its headings' (a repeated one gets -1, -2, ...) and its HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of withoutFences.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) {
    anchors.add(id);
  }
  return anchors;
}

/** Relative link targets of a page: inline links and images, reference definitions, HTML hrefs. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(m => m[1]),
    ...[...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map(m => m[1]),
    ...[...text.matchAll(/\shref="([^"]+)"/g)].map(m => m[1]),
  ].filter(target => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The links of `file` (relative to the repository) that do not resolve, each with why. */
function brokenLinks(file: string, markdown: string, read: (file: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const link of linksOf(markdown)) {
    const [target, anchor] = link.split('#', 2) as [string, string | undefined];
    const resolved = target === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target)));
    const content = read(resolved);
    if (content === undefined && !fs.existsSync(path.join(ROOT, resolved))) {
      broken.push(`${link}: no file ${resolved}`);
    } else if (anchor !== undefined && resolved.endsWith('.md')) {
      if (content === undefined || !anchorsOf(content).has(anchor)) {
        broken.push(`${link}: no heading or anchor "${anchor}" in ${resolved}`);
      }
    }
  }
  return broken;
}

const readRepositoryFile = (file: string): string | undefined => {
  const full = path.join(ROOT, file);
  return fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf8') : undefined;
};

describe('GitHub heading anchors, as the checker computes them', () => {
  test('punctuation goes, except - and _; spaces become -; code and links show their text', () => {
    expect(slug('Checking any manifest: `sidecar-first check`')).toEqual('checking-any-manifest-sidecar-first-check');
    expect(slug('Errors, at declaration')).toEqual('errors-at-declaration');
    expect(slug('Other languages: Python, Java, Go')).toEqual('other-languages-python-java-go');
    expect(slug('Shutdown: `drainTime`')).toEqual('shutdown-draintime');
    expect(slug('snake_case and [a link](x.md)')).toEqual('snake_case-and-a-link');
  });

  test('a repeated heading gets -1, -2; HTML ids count; headings in code blocks do not', () => {
    const page = '# Limits\n\n## Limits\n\n### Limits\n\n<a id="r3a"></a>\n\n```yaml\n# cdk8s.yaml\n```\n';
    expect([...anchorsOf(page)].sort()).toEqual(['limits', 'limits-1', 'limits-2', 'r3a']);
  });

  test('a missing file, a missing heading and a link in code are told apart', () => {
    // GIVEN a page with one good link, two broken ones, and a link inside code
    const page = '## Here\n\n[ok](#here) [gone](#there) [none](no-such-file.md) `[code](#nowhere)`\n\n[ref]: docs/nope.md#x\n';

    // WHEN
    const broken = brokenLinks('README.md', page, file => (file === 'README.md' ? page : readRepositoryFile(file)));

    // THEN
    expect(broken).toEqual([
      '#there: no heading or anchor "there" in README.md',
      'no-such-file.md: no file no-such-file.md',
      'docs/nope.md#x: no file docs/nope.md',
    ]);
  });
});

describe('every relative link of the documentation resolves', () => {
  test('the pages checked are the README and every page of docs/', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/gates.md', 'docs/cli.md', 'docs/kubelet-semantics.md']));
  });

  test.each(DOCS)('%s', file => {
    // GIVEN
    const markdown = readRepositoryFile(file)!;

    // WHEN
    const broken = brokenLinks(file, markdown, readRepositoryFile);

    // THEN
    expect(broken).toEqual([]);
  });
});

describe('every code block the documentation marks for CI is one CI runs', () => {
  /** CI's scripts and the tests that run the marked blocks; each fails if its block is gone from its page. */
  const RUNNERS = ['.ci/cdk8s-cli-validation.sh', 'test/bindings/run.sh', 'test/kplus-majors.test.ts']
    .map(file => fs.readFileSync(path.join(ROOT, file), 'utf8')).join('\n');

  test.each(DOCS)('%s', file => {
    // GIVEN the names of the blocks after a `<!-- ci: NAME -->` line
    const names = [...readRepositoryFile(file)!.matchAll(/^<!-- ci: ([\w-]+) -->$/gm)].map(m => m[1]);

    // THEN a runner names each
    expect(names.filter(name => !new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`, 'm').test(RUNNERS))).toEqual([]);
  });
});
