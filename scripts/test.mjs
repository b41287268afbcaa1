// `npm test`: the full suite against the real embedded stack, started once for the whole run.
// Stops the stack afterwards only if this run started it (FLOWLEDGER_KEEP_STACK=1 keeps it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkPrerequisites, ensureNodeModules, flowledger, root, run } from './bootstrap.mjs';

checkPrerequisites();
ensureNodeModules();
ensureInteropClient();
if (hasE2e()) ensureChromium();

const wasUp = stackIsUp();
flowledger(['stack', 'up']);

const results = join(root, 'var', 'test-results');
mkdirSync(results, { recursive: true });
// One project at a time: integration tests restart Kafka and spawn services, which must not
// land in the middle of a browser test, and two cores run one suite at a time best anyway.
const vitestProject = (project) => {
  const report = join(results, `vitest-${project}.json`);
  return {
    name: `vitest ${project}`,
    cmd: 'npx',
    args: [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    report,
    counts: () => vitestCounts(report),
  };
};
const pytestReport = join(results, 'validator.xml');
const suites = [
  vitestProject('unit'),
  // The editor's diagram-js modules in headless Chromium (no servers).
  ...(hasE2e() ? [vitestProject('browser')] : []),
  vitestProject('integration'),
  // The files that must have the stack to themselves (`*.alone.int.spec.ts`), one at a time.
  vitestProject('integration-alone'),
  ...(hasE2e() ? [vitestProject('e2e')] : []),
  {
    name: 'validator-py (pytest)',
    cmd: join(root, 'var', 'venv', 'validator', 'bin', 'python'),
    args: ['-m', 'pytest', '-q', 'validator-py/tests', `--junitxml=${pytestReport}`],
    report: pytestReport,
    counts: () => junitCounts(pytestReport),
  },
];

let passed = 0;
let failed = 0;
let exitCode = 0;
const failures = [];
try {
  for (const suite of suites) {
    console.log(`\n=== ${suite.name}`);
    // A report left by an earlier run must not stand in for one this run did not write.
    rmSync(suite.report, { force: true });
    const result = run(suite.cmd, suite.args, { allowFailure: true });
    const counts = suite.counts();
    passed += counts.passed;
    failed += counts.failed;
    failures.push(...counts.failures.map((f) => `${suite.name}: ${f}`));
    // A runner that failed without reporting a failed test still fails the run.
    if (result.status !== 0) {
      exitCode = 1;
      if (counts.failed === 0) {
        failed += 1;
        failures.push(`${suite.name}: exited with ${result.status ?? result.signal} without naming a failed test`);
      }
    }
  }
} finally {
  if (!wasUp && process.env.FLOWLEDGER_KEEP_STACK !== '1') flowledger(['stack', 'down'], { allowFailure: true });
}
// Repeated at the end, where a log cut to its tail still shows what failed.
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));

function stackIsUp() {
  const r = spawnSync(process.execPath, [join(root, 'cli', 'bin', 'flowledger.js'), 'stack', 'status', '--json'], {
    cwd: root,
    encoding: 'utf8',
  });
  try {
    return Object.values(JSON.parse(r.stdout)).every((s) => s.state === 'up');
  } catch {
    return false;
  }
}

/** Confluent's Python client, used by the interop tests to decode our topics like a data team would. */
function ensureInteropClient() {
  const venv = join(root, 'var', 'venv', 'interop');
  const requirements = join(root, 'tests', 'interop', 'requirements.txt');
  const marker = join(venv, 'installed');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  console.error('installing the Confluent Python client for interop tests…');
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '-q', '-r', requirements]);
  writeFileSync(marker, wanted);
}

/** The browser tests drive Debian's Chromium (Playwright cannot download its own browser here). */
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.error("installing Debian's chromium for the browser tests…");
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  console.error(`the browser tests need Chromium at ${chromium} (Debian: apt-get install chromium), or CHROMIUM_PATH`);
  process.exit(2);
}

/** The e2e project exists once the web app has end-to-end tests. */
function hasE2e() {
  return readFileSync(join(root, 'vitest.config.ts'), 'utf8').includes("name: 'e2e'");
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, failures: [] };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const files = report.testResults ?? [];
  // A test skipped because its file's setup failed is a failure, not a pass.
  const failedSuites = files.filter(
    (r) => r.status === 'failed' && r.assertionResults?.every((a) => a.status !== 'failed'),
  );
  const failures = files.flatMap((r) => {
    const where = relative(root, r.name);
    const tests = (r.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (tests.length === 0) return r.status === 'failed' ? [`${where}: ${firstLine(r.message)}`] : [];
    return tests.map((a) => `${where} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
  });
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + failedSuites.length,
    failures,
  };
}

function firstLine(text) {
  return (text ?? '').trim().split('\n')[0].slice(0, 300);
}

function junitCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, failures: [] };
  const xml = readFileSync(file, 'utf8');
  const attr = (name) => Number(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  const failures = [...xml.matchAll(/<testcase[^>]*\sname="([^"]*)"[^>]*>\s*<(?:failure|error)/g)].map((m) => m[1]);
  return { passed: attr('tests') - failed - attr('skipped'), failed, failures };
}
