import { useRunTempFolder } from '../support/run-tmp';

// Playwright's globalSetup: every temp folder the renderer tests make (their vaults, files
// to deliver to, Chromium's profile) goes into one folder of this run, removed when the run
// ends, pass or fail. Playwright starts its workers after this, with this TMPDIR.
export default function setup(): () => void {
  return useRunTempFolder('keyward-e2e-run-');
}
