#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the test suite, built from Debian's binaries (no Docker on these machines).
//
//   node scripts/pg-test-cluster.mjs start [--port 55401] [--dir /tmp/idesk-pg-55401]   prints the test URL
//   node scripts/pg-test-cluster.mjs url   [--port …]                                   prints it again
//   node scripts/pg-test-cluster.mjs stop  [--port …]                                   stops and deletes it
//
// The cluster listens on 127.0.0.1 only, keeps its socket and data in one folder, and trades durability for speed
// (fsync off): it exists for one test run. The app connects as a password-protected, non-superuser role that owns
// the test database, as it would on a real server; the `postgres` superuser (trust, local only) stays available for
// tests that need to set up privileges or other roles.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const command = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const port = Number(option('port', process.env.INTELLIGENCE_DESK_TEST_PG_PORT ?? '55401'));
if (!Number.isInteger(port) || port < 1024 || port > 65535) fail(`--port must be a number between 1024 and 65535 (got ${port}).`);
const dir = option('dir', `/tmp/idesk-pg-${port}`);
const dataDir = join(dir, 'data');
const database = 'idesk_test';
const role = 'idesk';
const password = 'idesk-test';
const url = `postgres://${role}:${password}@127.0.0.1:${port}/${database}`;

function fail(message) {
  process.stderr.write(`pg-test-cluster: ${message}\n`);
  process.exit(1);
}

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) fail('PostgreSQL server binaries are missing. Install them: apt-get install postgresql');
  return join(root, versions[0], 'bin');
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb and postgres refuse to run as root, so as root they run as the `postgres` OS user. */
function run(bin, argv, opts = {}) {
  const file = join(binDir(), bin);
  const [cmd, cmdArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...argv]] : [file, argv];
  return execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function running() {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return false;
  try {
    run('pg_ctl', ['-D', dataDir, 'status']);
    return true;
  } catch {
    return false;
  }
}

function psql(sql, db = 'postgres') {
  return run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql]);
}

function start() {
  if (running()) {
    process.stdout.write(`${url}\n`);
    return;
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
      chownSync(dataDir, uid, gid);
    }
    chmodSync(dataDir, 0o700);
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    // Only the superuser may log in without a password, and only from this machine.
    const hba = join(dataDir, 'pg_hba.conf');
    const rules = readFileSync(hba, 'utf8');
    writeFileSync(hba, `host all postgres 127.0.0.1/32 trust\n${rules}`);
  }
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=64MB',
  ].join(' ');
  try {
    run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  } catch (error) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n') : '';
    fail(`the server did not start on port ${port}: ${error.stderr || error.message}\n${log}`);
  }
  const exists = psql(`SELECT 1 FROM pg_roles WHERE rolname = '${role}'`).trim() === '1';
  if (!exists) psql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  if (psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`).trim() !== '1') psql(`CREATE DATABASE ${database} OWNER ${role}`);
  process.stdout.write(`${url}\n`);
}

function stop() {
  if (running()) run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  rmSync(dir, { recursive: true, force: true });
}

switch (command) {
  case 'start':
    start();
    break;
  case 'stop':
    stop();
    break;
  case 'url':
    if (!running()) fail(`no test cluster is running on port ${port}; start one: node scripts/pg-test-cluster.mjs start --port ${port}`);
    process.stdout.write(`${url}\n`);
    break;
  default:
    fail('usage: pg-test-cluster.mjs start|stop|url [--port N] [--dir DIR]');
}
