import { cdk8s, DependencyType, javascript, TaskShell } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-sidecar-first',
  // No double quotes: jsii-pacmak writes the description into the Python package's setup.py
  // as JSON inside a Python string, where an escaped quote breaks the JSON.
  description:
    'Declare once that a sidecar must be ready before the app starts; get the pod spec the kubelet honours (native sidecar + startupProbe, or a postStart wait hook).',
  author: 'cdk8s-sidecar-first maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-1a9ee660.example',
  repositoryUrl: 'https://github.com/cdk8s-sidecar-first/cdk8s-sidecar-first.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'sidecar', 'startupProbe', 'postStart', 'native-sidecar'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // Peer dependencies only (DEVELOPERS.md): the user brings cdk8s, cdk8s-plus-28 and constructs.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Bundled, so users install nothing more: the `sidecar-first check` CLI parses
  // multi-document YAML and must report file:line for bad input (yaml: ISC, no dependencies).
  // js-yaml (MIT) reads the values, as kubectl's YAML 1.1 reader does (src/analyzer/kubernetes-yaml.ts):
  // several times faster than yaml, which still says where errors and List items are.
  bundledDeps: ['yaml@^2.8.0', 'js-yaml@^4.3.2'],
  // kubectl-sidecar_first: kubectl runs it as `kubectl sidecar-first` (a plugin is any kubectl-* on PATH).
  bin: { 'sidecar-first': 'bin/sidecar-first', 'kubectl-sidecar_first': 'bin/kubectl-sidecar_first' },

  // The jsii targets, named as cdk8s-plus names its own (cdk8s_plus_28, org.cdk8s.plus28,
  // github.com/cdk8s-team/cdk8s-plus-go) but under this project's own namespace: the
  // io.github.<organization> Maven group that Maven Central grants to a GitHub organization
  // (org.cdk8s is the cdk8s team's), and a Go module in an `-go` repository beside this one.
  // `npx projen package-all` builds all four into dist/ (test/bindings/ uses them).
  // No .NET target: there is no .NET SDK on the project's machines to build or test one.
  publishToPypi: {
    distName: 'cdk8s-sidecar-first',
    module: 'cdk8s_sidecar_first',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_sidecar_first',
    mavenGroupId: 'io.github.cdk8s-sidecar-first',
    mavenArtifactId: 'cdk8s-sidecar-first',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-sidecar-first/cdk8s-sidecar-first-go',
    packageName: 'sidecarfirst',
  },

  devDeps: [
    '@types/js-yaml@^4.0.9',
    // Resolves the package's own name in examples/ to src/ for ts-node (examples/tsconfig.json `paths`).
    'tsconfig-paths@^4',
    // Schema validation of every synthesized manifest (test only):
    // kubernetes-models 4.5.x is generated from the Kubernetes 1.33 OpenAPI spec (types, enums,
    // required fields); cdk8s-plus-27/29/33 ship the per-version generated k8s types used to
    // reject fields a given Kubernetes version does not know.
    'kubernetes-models@4.5.1',
    // Every cdk8s-plus major users may bring to SidecarFirst.attach(): one strict test app each
    // (test/kplus-majors/). Exact versions, so the type-check is reproducible.
    'cdk8s-plus-27@2.9.5',
    'cdk8s-plus-29@2.6.0',
    'cdk8s-plus-30@2.4.10',
    'cdk8s-plus-31@2.6.43',
    'cdk8s-plus-32@2.5.92',
    'cdk8s-plus-33@2.5.57',
    'cdk8s-plus-34@2.0.54',
    // Property tests of the compiler against the analyzer.
    'fast-check@^4',
    // The real Mermaid parser (ESM, needs a DOM) checks that `--format mermaid` output cannot be hijacked by names.
    'mermaid@^11.17.0',
    'jsdom@^29.1.0',
    // `--format sarif` is validated against the official SARIF 2.1.0 JSON Schema (draft-07).
    'ajv@^8',
    'ajv-formats@^3',
  ],

  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // test/node/ runs on a real kubelet: its own task, test:node; test/integrations/ (pre-commit
      // builds the package from git, minutes): test:integrations.
      testPathIgnorePatterns: ['/node_modules/', '/examples/', '<rootDir>/test/node/', '<rootDir>/test/integrations/'],
      // One temporary directory per run, removed at the end (cdk8s's Testing.app() leaves one per app).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // The examples import the package by name, as an app would (see examples/tsconfig.json).
      moduleNameMapper: { '^cdk8s-sidecar-first$': '<rootDir>/src' },
      // Every manifest a test synthesizes is dry-run on the real API servers started by globalSetup.
      setupFilesAfterEnv: ['<rootDir>/test/support/validate-synthesized.ts'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc'],
  },

  // No GitHub release machinery: this repository is built and checked by .ci/run.
  github: false,
  release: false,
  pullRequestTemplate: false,
  depsUpgrade: false,
  npmignoreEnabled: true,
});

project.npmignore?.exclude('/examples/', '/bench/', '/.ci/');
// The per-language API references (docs/api/) are for the repository, not for npm users.
project.npmignore?.exclude('/docs/api/');

// ts-jest runs with isolatedModules (no type checking): type-check tests, examples and benchmarks here.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json && tsc --noEmit -p examples/tsconfig.json && tsc --noEmit -p bench/tsconfig.json');
// One app per cdk8s-plus major (27-34) using SidecarFirst.attach(), type-checked with `strict` and no cast.
project.testTask.prependExec('tsc --noEmit -p test/kplus-majors/tsconfig.json');

// examples/ and bench/ are apps, not library code: each has its own tsconfig (for ts-node and eslint).
// The examples import 'cdk8s-sidecar-first' as an app does, so they can be copied into one; here
// the name maps to src/ (tsc and eslint read `paths`, ts-node through tsconfig-paths, jest through
// moduleNameMapper), so they run against the source without a build.
for (const dir of ['examples', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    compilerOptions: {
      noEmit: true,
      rootDir: '..',
      ...(dir === 'examples' ? { baseUrl: '.', paths: { 'cdk8s-sidecar-first': ['../src'] } } : {}),
    },
  });
}

project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './examples/tsconfig.json']);

// The tests import the examples, so their type check resolves the name the same way.
project.tsconfigDev.file.addOverride('compilerOptions.baseUrl', '.');
project.tsconfigDev.file.addOverride('compilerOptions.paths', { 'cdk8s-sidecar-first': ['../src'] });

// The main job: synthesize the runnable cdk8s app in examples/ into examples/dist/.
project.addTask('examples', {
  description: 'Synthesize the example cdk8s app into examples/dist/',
  env: { TS_NODE_PROJECT: 'examples/tsconfig.json' },
  exec: 'ts-node -r tsconfig-paths/register examples/main.ts',
});

// jest 29 and this resolver version keep @unrs/resolver-binding-* (platform-specific binaries
// that a lockfile made on one machine lacks for others) out of the lockfile, so `npm ci` works.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.addDependency('eslint-import-resolver-typescript@3.6.3', DependencyType.BUILD);

// lib/ is git-ignored: `npm pack` and `npm publish` build it first, so a fresh clone packs a working package.
project.addTask('prepack', { description: 'Compile lib/ before npm pack or npm publish' }).spawn(project.compileTask);
// npm installs a git dependency (as pre-commit installs the hook from this repository) by
// running `prepare`, never `prepack`: the script builds lib/ then (and only then).
project.package.setScript('prepare', 'sh scripts/prepare-from-git.sh');

// jsii-pacmak builds the jar with a Maven repository of its own, new at every run, unless told
// otherwise: use the user's, so downloads are cached between runs (and the cdk8s-plus-28 jar that
// test/bindings/run.sh installs there is found).
project.tasks.tryFind('package:java')?.reset('jsii-pacmak -v --target java --maven-local-repository "$HOME/.m2/repository"');
// The Java and Go bindings build against cdk8s packages that the registries here do not serve (the
// cdk8s-plus-28 jar, cdk8s-core-go): projenrc/cdk8s-bindings.sh builds them from their npm packages
// first, so package:java and package:go work on a fresh machine.
project.tasks.tryFind('package:java')?.prependExec('bash projenrc/cdk8s-bindings.sh java');
project.tasks.tryFind('package:go')?.prependExec('bash projenrc/cdk8s-bindings.sh go');
// The README's command for other languages: from a fresh clone (after npm ci), the Python wheel,
// the Java jar and the Go module into dist/. test/bindings/run.sh runs it as written.
project.addTask('package:bindings', {
  description: 'Compile, then build the Python wheel, the Java jar and the Go module into dist/',
  // jsii-pacmak packs with `npm pack`, whose prepack would compile the library again for each language.
  env: { npm_config_ignore_scripts: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  steps: [{ spawn: 'compile' }, { spawn: 'package:python' }, { spawn: 'package:java' }, { spawn: 'package:go' }],
});

// The Python, Java and Go bindings used as their users would (test/bindings/run.sh): not part of
// `npm test`, since it needs Python, a JDK with Maven and Go; .ci/run runs it.
project.addTask('test:bindings', {
  description: 'Build the Python, Java and Go packages and check that each language synthesizes the examples byte for byte',
  exec: 'bash test/bindings/run.sh',
});
project.gitignore.exclude('/test/bindings/java/target/');
// API.md shows TypeScript; the same reference with each binding's names and signatures
// (docs/api/API.python.md, API.java.md, API.go.md), regenerated with it.
project.tasks.tryFind('docgen')?.exec('jsii-docgen -l python -l java -l go -o docs/api/API.md');
// The real-node tests: containerd and a standalone kubelet of each version in
// test/node/kubelet-versions.txt, pods side by side (test/support/real-node.ts).
project.addTask('test:node', {
  description: 'Run the tests on a real kubelet (containerd + standalone kubelet per version in test/node/kubelet-versions.txt) and on real single-node clusters (test/cluster/cluster.sh); root and Go, else a printed skip',
  steps: [
    { exec: 'bash test/node/prepare.sh' },
    { exec: "jest --ci --runInBand --coverage=false --testPathIgnorePatterns /node_modules/ --testMatch '<rootDir>/test/node/**/*.node.test.ts'", receiveArgs: true },
  ],
});

// The pre-commit hook with the real pre-commit, which builds the package from git (minutes): .ci/run runs it.
project.addTask('test:integrations', {
  description: 'Run the pre-commit hook with the real pre-commit (bash test/integrations/install-pre-commit.sh installs it; under CI=true a missing tool fails)',
  steps: [
    { exec: "jest --ci --runInBand --coverage=false --testPathIgnorePatterns /node_modules/ --testMatch '<rootDir>/test/integrations/**/*.test.ts'", receiveArgs: true },
  ],
});

// Benchmarks print figures; they are not part of `npm test`.
project.addTask('bench', {
  description: 'Synthesis cost against hand-written cdk8s-plus, and analyzer throughput',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/bench.ts',
  env: { TS_NODE_PROJECT: 'bench/tsconfig.json' },
});

// The gate variants on real kubelets (test/node/gates.bench.ts): figures, not a test. A jest
// file for the real-node harness; BENCH_GATE_VERSIONS (default: 1.37.2 and 1.30.14)
// picks the kubelets, for prepare.sh too, and BENCH_GATE_STARTS the starts per variant and check.
project.addTask('bench:gates', {
  description: 'Sidecar ready -> app started for every gate variant and check kind on real kubelets (BENCH_GATE_VERSIONS, BENCH_GATE_STARTS)',
  env: { SIDECAR_FIRST_KUBELET_VERSIONS: '$(echo "${BENCH_GATE_VERSIONS:-1.37.2 1.30.14}")' },
  // projen's own shell does not expand ${VAR:-default}.
  shell: TaskShell.bash(),
  steps: [
    { exec: 'bash test/node/prepare.sh' },
    { exec: "jest --ci --runInBand --coverage=false --testPathIgnorePatterns /node_modules/ --testMatch '<rootDir>/test/node/gates.bench.ts'", receiveArgs: true },
  ],
});

// The wait hook is a real shell script (shellcheck-able); a generated module embeds it.
const waitHookScript = project.addTask('wait-hook-script', {
  description: 'Embed src/private/compiler/wait-hook.sh in wait-hook-script.ts',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/wait-hook-script.ts',
});
project.compileTask.prependSpawn(waitHookScript);
project.testTask.prependSpawn(waitHookScript);

// The version users install. There is no release automation (release: false); projen would write
// 0.0.0. Publishing needs a registry account, so it is done by hand, never by CI; a release bumps
// this and moves CHANGELOG.md's Unreleased entries under the new version.
project.package.addVersion('0.1.0');

project.synth();
