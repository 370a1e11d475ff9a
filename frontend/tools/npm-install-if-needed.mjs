/*
 * `npm ci --no-audit --no-fund`, unless node_modules was installed from exactly this package.json and
 * package-lock.json (a hash of both is kept in node_modules/.install-stamp). Saves ~30 s on every Maven build.
 * `npm ci` installs exactly what the committed lock file says and never rewrites it, so a build leaves the clone
 * clean; it fails when package.json and the lock file disagree (update the lock file with `npm install` then).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(FRONTEND, 'node_modules', '.install-stamp');

function fingerprint() {
  const hash = crypto.createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) {
    const p = path.join(FRONTEND, file);
    hash.update(file).update(fs.existsSync(p) ? fs.readFileSync(p) : '');
  }
  hash.update(process.version);
  return hash.digest('hex');
}

const before = fingerprint();
if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === before) {
  console.log('node_modules is up to date with package.json and package-lock.json');
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: FRONTEND, stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`npm ci failed (exit ${run.status ?? run.signal})`);
  process.exit(run.status || 1);
}
// npm ci never writes the lock file; a changed one would be a defect the stamp must not hide
const after = fingerprint();
if (after !== before) {
  console.error('npm ci changed package.json or package-lock.json; the committed lock file must be used as it is');
  process.exit(1);
}
fs.writeFileSync(STAMP, after);
