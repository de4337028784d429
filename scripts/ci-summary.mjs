// Prints the test totals of a CI run from the JSON reports of vitest and Playwright, ending with one plain line
// "tests: N passed, N failed, N skipped" that any CI can read.
import { existsSync, readFileSync } from 'node:fs';

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const [file, label] of [
  ['reports/vitest.json', 'unit + integration (vitest)'],
  ['reports/vitest-postgres.json', 'core on PostgreSQL (vitest, test:pg)'],
]) {
  const vitest = read(file);
  if (vitest) {
    const v = { passed: vitest.numPassedTests, failed: vitest.numFailedTests, skipped: vitest.numPendingTests + vitest.numTodoTests };
    console.log(`${label}: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped`);
    passed += v.passed;
    failed += v.failed;
    skipped += v.skipped;
  } else console.log(`${label}: no report (did not run)`);
}

const pw = read('reports/playwright.json');
if (pw) {
  const s = pw.stats;
  const p = { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  console.log(`end-to-end (playwright): ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped${s.flaky ? ` (${s.flaky} passed on retry)` : ''}`);
  passed += p.passed;
  failed += p.failed;
  skipped += p.skipped;
} else console.log('end-to-end (playwright): no report (did not run)');

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
