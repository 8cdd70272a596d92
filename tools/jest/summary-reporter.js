// Prints the one closing line CI reads ("N passed, N failed") and keeps it in tmp/ for .ci/run.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (results.numPendingTests ? `, ${results.numPendingTests} skipped` : '');
    const dir = path.join(process.cwd(), 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test-summary.txt'), line + '\n');
    process.stdout.write(line + '\n');
  }
}
module.exports = SummaryReporter;
