/* global console */
// Keeps the fast tier fast: after a unit run, names every spec file that took longer than the budget,
// so one that grew heavy is moved to the integration tier (HEAVY_HELPERS in tools/testing/test-tiers.js)
// before the tier as a whole outgrows its minute. A warning, not a failure: time on a busy machine
// is no verdict.
const { relative } = require('node:path');

const BUDGET_MS = Number(process.env.T2S_UNIT_SPEC_BUDGET_MS ?? 5000);

class UnitBudgetReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.slow = [];
  }

  onTestResult(_test, result) {
    const ms = result.perfStats.end - result.perfStats.start;
    if (ms > BUDGET_MS) this.slow.push([relative(this.rootDir, result.testFilePath), ms]);
  }

  onRunComplete() {
    for (const [file, ms] of this.slow.sort((a, b) => b[1] - a[1])) {
      console.warn(
        `unit tier: ${file} took ${(ms / 1000).toFixed(1)} s, over the ${BUDGET_MS / 1000} s budget of a unit ` +
          'spec file: make it lighter or list its heavy helper in tools/testing/test-tiers.js',
      );
    }
  }
}

module.exports = UnitBudgetReporter;
