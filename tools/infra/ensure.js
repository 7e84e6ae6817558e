#!/usr/bin/env node
'use strict';
// Makes sure the platform's Postgres and NATS JetStream are reachable, starting (or, on Debian as
// root, installing) local servers when they are not, then provisions the platform database and one
// login role per service (olist_<name>). Plain CommonJS so it runs before anything is compiled.
//
//   node tools/infra/ensure.js [--json] [--no-install] [--no-start]
//   require('<repo>/tools/infra/ensure.js').ensureInfra({ log })
//
// Configuration: DATABASE_URL (admin URL: its user must be able to create databases and roles),
// NATS_URL, OLIST_DB_ROLE_PASSWORD (optional password for the service roles), NATS_STORE_DIR.

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { Client } = require('pg');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/olist';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const CATALOG_PATH = path.join(__dirname, '../../libs/service-kit/src/catalog/services.json');

const CONNECT_TIMEOUT_MS = 2000;
const POSTGRES_START_TIMEOUT_MS = 30000;
const NATS_START_TIMEOUT_MS = 15000;
const POLL_INTERVAL_MS = 300;
const MIN_POSTGRES_VERSION_NUM = 150000;

// Session advisory lock (two int4 keys) that serializes concurrent provisioning runs.
const PROVISION_LOCK = [0x6f6c6973, 0x696e6672];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT']);

// ---------------------------------------------------------------------------------------------
// Small helpers

const noop = () => {};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withCode(message, code) {
  const err = new Error(message);
  err.code = code;
  return err;
}

function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

function quoteLiteral(value) {
  const text = String(value);
  const body = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

function stripBrackets(host) {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function displayHost(host) {
  return host.includes(':') ? `[${host}]` : host;
}

function isLocalHost(host) {
  return host === '' || host.startsWith('/') || LOOPBACK_HOSTS.has(stripBrackets(host).toLowerCase());
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of an executable on PATH (plus the sbin directories), or null. */
function which(command) {
  if (command.includes('/')) return isExecutable(command) ? command : null;
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/local/sbin', '/usr/sbin', '/sbin']) {
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Runs a command synchronously; its output goes to this process's stderr so stdout stays clean for --json. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], ...options });
  if (result.error) throw new Error(`Could not run ${command}: ${result.error.message}`);
  return result.status === null ? -1 : result.status;
}

function runOrThrow(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) throw new Error(`\`${[command, ...args].join(' ')}\` failed with exit code ${status}.`);
}

async function waitFor(attempt, { timeoutMs, isTransient }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err) || Date.now() + POLL_INTERVAL_MS > deadline) throw err;
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

function canInstallWithApt() {
  return fs.existsSync('/etc/debian_version') && which('apt-get') !== null && isRoot();
}

function aptInstall(packages, { ctx, log }) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!ctx.aptUpdated) {
    log('infra: apt-get update');
    runOrThrow('apt-get', ['update'], { env });
    ctx.aptUpdated = true;
  }
  log(`infra: apt-get install -y ${packages.join(' ')}`);
  runOrThrow('apt-get', ['install', '-y', ...packages], { env });
}

// ---------------------------------------------------------------------------------------------
// Service catalog

/** Postgres role names of the catalog's services: olist_<name>. */
function serviceRoles() {
  const catalog = require(CATALOG_PATH);
  return catalog.map(({ name }) => {
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new Error(`Invalid service name ${JSON.stringify(name)} in ${CATALOG_PATH}`);
    }
    return `olist_${name}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Postgres

function parsePostgresUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL (expected postgres://user@host:port/database).`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//).`);
  }
  const socketDir = url.searchParams.get('host') || '';
  const host = socketDir || stripBrackets(url.hostname) || 'localhost';
  const port = Number(url.port || url.searchParams.get('port') || 5432);
  let database;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    throw new Error('DATABASE_URL has an invalid database name.');
  }
  const endpoint = host.startsWith('/') ? `${host} (port ${port})` : `${displayHost(host)}:${port}`;
  return {
    url,
    host,
    port,
    user: decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || '',
    database: database || 'olist',
    local: isLocalHost(host),
    endpoint,
  };
}

function redactUrl(url) {
  const copy = new URL(url.href);
  copy.password = '';
  return copy.href;
}

function urlWithDatabase(url, database) {
  const copy = new URL(url.href);
  copy.pathname = `/${encodeURIComponent(database)}`;
  return copy.href;
}

async function connectPg(config) {
  const options = typeof config === 'string' ? { connectionString: config } : { ...config };
  const client = new Client({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...options });
  client.on('error', noop); // a server-side disconnect must not crash the process
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(noop);
    throw err;
  }
}

/** Connects as the admin user to the maintenance database (postgres, else template1). */
async function connectAdmin(pg) {
  try {
    return await connectPg(urlWithDatabase(pg.url, 'postgres'));
  } catch (err) {
    if (err.code !== '3D000') throw err; // 3D000: database "postgres" does not exist
    return connectPg(urlWithDatabase(pg.url, 'template1'));
  }
}

/** Connection settings of a connected client, pointed at another database. */
function connectionConfigFor(admin, database) {
  const params = admin.connectionParameters || {};
  return { user: params.user, password: params.password, host: params.host, port: params.port, ssl: params.ssl, database };
}

function postgresConnectError(pg, err) {
  const code = err.code || 'error';
  if (UNREACHABLE_CODES.has(code)) {
    return new Error(`Postgres is not reachable at ${pg.endpoint} (${code}). Install PostgreSQL 15+ or set DATABASE_URL to a reachable server.`);
  }
  if (code === '28P01' || code === '28000') {
    return new Error(
      `Postgres at ${pg.endpoint} rejected user "${pg.user}": ${err.message}. Put the password in DATABASE_URL, ` +
        `or on a local development server allow trust auth from 127.0.0.1 in pg_hba.conf (see tools/infra/README.md).`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new Error(`Postgres host ${pg.host} cannot be resolved (${code}). Check DATABASE_URL.`);
  }
  if (/timeout/i.test(err.message) || code === 'ETIMEDOUT') {
    return new Error(`Postgres did not answer at ${pg.endpoint} within ${CONNECT_TIMEOUT_MS / 1000} s. Check DATABASE_URL and that the server is running.`);
  }
  return new Error(`Cannot connect to Postgres at ${pg.endpoint}: ${err.message} (${code}).`);
}

function readClusterPort(confFile) {
  try {
    const match = /^\s*port\s*=\s*(\d+)/m.exec(fs.readFileSync(confFile, 'utf8'));
    return match ? Number(match[1]) : 5432;
  } catch {
    return 5432;
  }
}

/** Debian/Ubuntu clusters (/etc/postgresql/<version>/main), newest first; empty without pg_ctlcluster. */
function localClusters() {
  if (!which('pg_ctlcluster')) return [];
  let versions;
  try {
    versions = fs.readdirSync('/etc/postgresql');
  } catch {
    return [];
  }
  return versions
    .map((version) => ({ version, dir: path.join('/etc/postgresql', version, 'main') }))
    .filter(({ dir }) => fs.existsSync(dir))
    .map((cluster) => ({ ...cluster, port: readClusterPort(path.join(cluster.dir, 'postgresql.conf')) }))
    .sort((a, b) => Number.parseFloat(b.version) - Number.parseFloat(a.version));
}

function startCluster(cluster, log) {
  const name = `${cluster.version}/main`;
  log(`infra: starting local Postgres cluster ${name}`);
  const status = run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, 'main', 'start']);
  if (status !== 0 && status !== 2) {
    // 2: already running
    throw new Error(
      `Could not start the local Postgres cluster ${name} (pg_ctlcluster exited with ${status}). ` +
        `Start it yourself (sudo pg_ctlcluster ${cluster.version} main start) or set DATABASE_URL to a reachable server.`,
    );
  }
}

/**
 * Local development only: lets clusters installed by this script accept passwordless TCP connections
 * from this machine (the default DATABASE_URL has no password). Returns true when pg_hba.conf changed.
 */
function allowLocalTrust(cluster, log) {
  const file = path.join(cluster.dir, 'pg_hba.conf');
  const text = fs.readFileSync(file, 'utf8');
  if (/^\s*host\s+all\s+all\s+127\.0\.0\.1\/32\s+trust\b/m.test(text)) return false;
  const block = [
    '# LOCAL DEVELOPMENT ONLY (added by tools/infra/ensure.js): passwordless TCP connections from this',
    '# machine, matching the default DATABASE_URL. Remove these lines on any shared or production server.',
    'host    all             all             127.0.0.1/32            trust',
    'host    all             all             ::1/128                 trust',
    '',
  ];
  const lines = text.split('\n');
  const firstRule = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  lines.splice(firstRule === -1 ? lines.length : firstRule, 0, ...block);
  fs.writeFileSync(file, lines.join('\n'));
  log(`infra: added local-only trust rules for 127.0.0.1 and ::1 to ${file}`);
  return true;
}

function reloadCluster(cluster) {
  runOrThrow('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, 'main', 'reload']);
}

async function startLocalPostgres(pg, cause, { log, install, ctx, status }) {
  const notReachable = `Postgres is not reachable at ${pg.endpoint} (${cause.code})`;
  let clusters = localClusters();
  if (clusters.length === 0) {
    if (!install || !canInstallWithApt()) {
      const why = install ? '' : ' (automatic installation is disabled)';
      throw new Error(`${notReachable}${why}. Install PostgreSQL 15+ or set DATABASE_URL to a reachable server.`);
    }
    log(`infra: ${notReachable}; installing PostgreSQL with apt-get`);
    aptInstall(['postgresql'], { ctx, log });
    status.installed = true;
    clusters = localClusters();
    if (clusters.length === 0) {
      throw new Error(`PostgreSQL was installed but no cluster exists under /etc/postgresql. Create one (pg_createcluster 15 main) and retry.`);
    }
  }
  const cluster = clusters.find((c) => c.port === pg.port);
  if (!cluster) {
    const found = clusters.map((c) => `${c.version}/main on port ${c.port}`).join(', ');
    throw new Error(`${notReachable}. The local cluster(s) ${found} listen on another port: set DATABASE_URL to match, or change the cluster's port.`);
  }
  startCluster(cluster, log);
  status.started = true;
  if (status.installed && allowLocalTrust(cluster, log)) reloadCluster(cluster);

  const transient = (err) => UNREACHABLE_CODES.has(err.code) || err.code === '57P03' || /timeout|terminated/i.test(err.message);
  try {
    return await waitFor(() => connectAdmin(pg), { timeoutMs: POSTGRES_START_TIMEOUT_MS, isTransient: transient });
  } catch (err) {
    if (!transient(err)) throw postgresConnectError(pg, err);
    throw new Error(
      `Started the local Postgres cluster ${cluster.version}/main, but ${pg.endpoint} did not accept connections within ` +
        `${POSTGRES_START_TIMEOUT_MS / 1000} s (${err.code || err.message}). Check /var/log/postgresql/postgresql-${cluster.version}-main.log.`,
    );
  }
}

function isConcurrentUpdate(err) {
  return err.code === '40001' || err.code === '40P01' || (err.code === 'XX000' && /concurrently/.test(err.message));
}

async function retrying(statement) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (err) {
      if (attempt >= 5 || !isConcurrentUpdate(err)) throw err;
      await sleep(50 * attempt);
    }
  }
}

async function createDatabaseIfMissing(admin, dbName) {
  const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (existing.rowCount > 0) return false;
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
    return true;
  } catch (err) {
    if (err.code === '42P04' || err.code === '23505') return false; // created concurrently
    throw err;
  }
}

async function createRoleIfMissing(admin, role) {
  const existing = await admin.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
  if (existing.rowCount > 0) {
    if (!existing.rows[0].rolcanlogin) await admin.query(`ALTER ROLE ${quoteIdent(role)} LOGIN`);
    return false;
  }
  try {
    await admin.query(`CREATE ROLE ${quoteIdent(role)} LOGIN`);
    return true;
  } catch (err) {
    if (err.code === '42710' || err.code === '23505') return false; // created concurrently
    throw err;
  }
}

/**
 * Creates `dbName` when missing and gives every service role CONNECT, CREATE and TEMPORARY on it;
 * PUBLIC loses all database privileges and CREATE on schema public. Services create (and so own)
 * their schemas, which other roles cannot use. Idempotent and safe to run concurrently.
 *
 * @param adminClientOrUrl a connected pg Client (or a Pool) of an admin user, or an admin postgres:// URL
 *   (the URL's own database is not used: it connects to the maintenance database "postgres").
 */
async function provisionDatabase(adminClientOrUrl, dbName, options = {}) {
  const { roles = serviceRoles(), password = process.env.OLIST_DB_ROLE_PASSWORD || undefined, log = noop } = options;
  if (typeof dbName !== 'string' || dbName === '') throw new TypeError('provisionDatabase: dbName must be a non-empty string');
  let admin = adminClientOrUrl;
  let release = noop;
  if (typeof adminClientOrUrl === 'string') {
    admin = await connectAdmin(parsePostgresUrl(adminClientOrUrl));
    release = () => admin.end();
  } else if (typeof adminClientOrUrl.totalCount === 'number' && typeof adminClientOrUrl.connect === 'function') {
    admin = await adminClientOrUrl.connect(); // a Pool: the advisory lock needs one session
    release = () => admin.release();
  }
  try {
    await admin.query('SELECT pg_advisory_lock($1, $2)', PROVISION_LOCK);
    try {
      const created = await createDatabaseIfMissing(admin, dbName);
      if (created) log(`infra: created database ${dbName}`);
      const createdRoles = [];
      for (const role of roles) {
        if (await createRoleIfMissing(admin, role)) createdRoles.push(role);
        if (password) await admin.query(`ALTER ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(password)}`);
      }
      if (createdRoles.length > 0) log(`infra: created roles ${createdRoles.join(', ')}`);

      const db = quoteIdent(dbName);
      await retrying(() => admin.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`));
      for (const role of roles) {
        await retrying(() => admin.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${db} TO ${quoteIdent(role)}`));
      }
      const target = await connectPg(connectionConfigFor(admin, dbName));
      try {
        const publicSchema = await target.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'public'`);
        if (publicSchema.rowCount > 0) await retrying(() => target.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'));
      } finally {
        await target.end().catch(noop);
      }
      return { database: dbName, created, roles: [...roles], createdRoles };
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1, $2)', PROVISION_LOCK).catch(noop);
    }
  } finally {
    await Promise.resolve().then(release).catch(noop);
  }
}

/** Step 1-3: Postgres reachable (started/installed when local), database and service roles provisioned. */
async function ensurePostgres(options = {}) {
  const {
    databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    log = console.log,
    install = true,
    start = true,
    ctx = { aptUpdated: false },
  } = options;
  const pg = parsePostgresUrl(databaseUrl);
  const status = { url: redactUrl(pg.url), database: pg.database, version: null, started: false, installed: false, created: false };

  let admin;
  try {
    admin = await connectAdmin(pg);
  } catch (err) {
    if (!UNREACHABLE_CODES.has(err.code)) throw postgresConnectError(pg, err);
    if (!pg.local) {
      throw new Error(`Postgres is not reachable at ${pg.endpoint} (${err.code}). Start that server or set DATABASE_URL to a reachable server.`);
    }
    if (!start) {
      throw new Error(
        `Postgres is not reachable at ${pg.endpoint} (${err.code}) and starting local servers is disabled. ` +
          `Start PostgreSQL 15+ there or set DATABASE_URL to a reachable server.`,
      );
    }
    admin = await startLocalPostgres(pg, err, { log, install, ctx, status });
  }

  try {
    const { rows } = await admin.query(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num`,
    );
    status.version = String(rows[0].version).split(' ')[0];
    if (rows[0].num < MIN_POSTGRES_VERSION_NUM) {
      log(`infra: warning: PostgreSQL ${status.version} at ${pg.endpoint} is older than the supported 15`);
    }
    let result;
    try {
      result = await provisionDatabase(admin, pg.database, { log });
    } catch (err) {
      throw new Error(
        `Provisioning database "${pg.database}" on ${pg.endpoint} as "${pg.user}" failed: ${err.message}` +
          `${err.code ? ` (${err.code})` : ''}. The DATABASE_URL user must be able to create databases and roles.`,
      );
    }
    status.created = result.created;
    return { ...status, roles: result.roles };
  } finally {
    await admin.end().catch(noop);
  }
}

// ---------------------------------------------------------------------------------------------
// NATS

function parseNatsUrl(raw) {
  const first = String(raw).split(',')[0].trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(first) ? first : `nats://${first}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error('NATS_URL is not a valid URL (expected nats://host:port).');
  }
  if (url.protocol !== 'nats:' && url.protocol !== 'tls:') {
    throw new Error(`NATS_URL must use nats:// or tls:// (got ${url.protocol}//).`);
  }
  const host = stripBrackets(url.hostname) || '127.0.0.1';
  const port = Number(url.port || 4222);
  const endpoint = `${displayHost(host)}:${port}`;
  return { host, port, endpoint, url: `${url.protocol}//${endpoint}`, local: isLocalHost(host) };
}

/** Opens a TCP connection and resolves with the JSON of the server's `INFO {...}` greeting. */
function readNatsInfo(host, port, timeoutMs = CONNECT_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (err, info) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(info);
    };
    const timer = setTimeout(() => finish(withCode(`no INFO from ${host}:${port} within ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf('\r\n');
      if (end === -1) {
        if (buffer.length > 1024 * 1024) finish(withCode('greeting line too long', 'EPROTO'));
        return;
      }
      const line = buffer.slice(0, end);
      const match = /^INFO\s+(\{.*\})\s*$/i.exec(line);
      if (!match) return finish(withCode(`unexpected greeting ${JSON.stringify(line.slice(0, 80))}`, 'EPROTO'));
      try {
        finish(null, JSON.parse(match[1]));
      } catch {
        finish(withCode('INFO line is not valid JSON', 'EPROTO'));
      }
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(withCode(`connection to ${host}:${port} closed before INFO`, 'ECONNRESET')));
  });
}

function natsConnectError(nats, err) {
  const code = err.code || 'error';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`NATS host ${nats.host} cannot be resolved (${code}). Check NATS_URL.`);
  if (code === 'ETIMEDOUT') {
    return new Error(`NATS did not answer at ${nats.url} within ${CONNECT_TIMEOUT_MS / 1000} s (no INFO greeting). Check NATS_URL and that nats-server is running there.`);
  }
  if (code === 'EPROTO') return new Error(`The server at ${nats.url} does not speak the NATS protocol (${err.message}). Check NATS_URL.`);
  return new Error(`Cannot reach NATS at ${nats.url}: ${err.message} (${code}).`);
}

function findNatsServer() {
  return isExecutable('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : which('nats-server');
}

function firstWritableDir(candidates) {
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(`No writable directory for the NATS JetStream store (tried ${candidates.join(', ')}). Set NATS_STORE_DIR.`);
}

/** Store directory, log file and pid file of a nats-server started by this script. */
function natsPaths(port) {
  const suffix = port === 4222 ? '' : `-${port}`;
  const override = process.env.NATS_STORE_DIR;
  const storeDir = firstWritableDir(
    override ? [override] : [`/var/lib/nats-server${suffix}`, path.join(os.homedir(), '.local', 'share', 'olist', `nats-server${suffix}`)],
  );
  let logFile = path.join(storeDir, 'nats-server.log');
  if (!override) {
    try {
      fs.accessSync('/var/log', fs.constants.W_OK);
      logFile = `/var/log/nats-server${suffix}.log`;
    } catch {
      // keep the log next to the store
    }
  }
  return { storeDir, logFile, pidFile: path.join(storeDir, 'nats-server.pid') };
}

function launchNatsServer(bin, nats, { storeDir, logFile, pidFile }) {
  const bindHost = nats.host.toLowerCase() === 'localhost' ? '127.0.0.1' : nats.host;
  const args = ['-a', bindHost, '-p', String(nats.port), '-js', '-sd', storeDir, '-l', logFile];
  const daemon = which('start-stop-daemon');
  if (daemon) {
    runOrThrow(daemon, ['--start', '--oknodo', '--background', '--make-pidfile', '--pidfile', pidFile, '--exec', bin, '--', ...args]);
    return;
  }
  const child = spawn(bin, args, { detached: true, stdio: 'ignore' });
  child.on('error', noop);
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);
  child.unref();
}

async function startLocalNats(nats, cause, { log, install, ctx, status }) {
  const notReachable = `NATS is not reachable at ${nats.url} (${cause.code})`;
  let bin = findNatsServer();
  if (!bin) {
    if (!install || !canInstallWithApt()) {
      const why = install ? '' : ' (automatic installation is disabled)';
      throw new Error(
        `${notReachable} and nats-server is not installed${why}. Install nats-server 2.9+ and run ` +
          `\`nats-server -js -a ${nats.host} -p ${nats.port}\`, or set NATS_URL to a reachable server.`,
      );
    }
    log(`infra: ${notReachable}; installing nats-server with apt-get`);
    aptInstall(['nats-server'], { ctx, log });
    status.installed = true;
    bin = findNatsServer();
    if (!bin) throw new Error('nats-server was installed but its executable was not found on PATH or in /usr/sbin.');
    try {
      return await readNatsInfo(nats.host, nats.port); // the package may have started a server already
    } catch {
      // not running: start it below
    }
  }
  const paths = natsPaths(nats.port);
  log(`infra: starting ${bin} with JetStream on ${nats.endpoint} (store ${paths.storeDir})`);
  launchNatsServer(bin, nats, paths);
  status.started = true;
  const transient = (err) => err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'ETIMEDOUT';
  try {
    return await waitFor(() => readNatsInfo(nats.host, nats.port), { timeoutMs: NATS_START_TIMEOUT_MS, isTransient: transient });
  } catch (err) {
    if (!transient(err)) throw natsConnectError(nats, err);
    throw new Error(`Started nats-server, but ${nats.url} did not accept connections within ${NATS_START_TIMEOUT_MS / 1000} s. See ${paths.logFile}.`);
  }
}

/** Step 4: NATS reachable (started/installed when local) with JetStream enabled. */
async function ensureNats(options = {}) {
  const {
    natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL,
    log = console.log,
    install = true,
    start = true,
    ctx = { aptUpdated: false },
  } = options;
  const nats = parseNatsUrl(natsUrl);
  const status = { url: nats.url, version: null, jetstream: false, started: false, installed: false };
  let info;
  try {
    info = await readNatsInfo(nats.host, nats.port);
  } catch (err) {
    if (err.code !== 'ECONNREFUSED') throw natsConnectError(nats, err);
    if (!nats.local) throw new Error(`NATS is not reachable at ${nats.url} (${err.code}). Start that server or set NATS_URL to a reachable server.`);
    if (!start) {
      throw new Error(
        `NATS is not reachable at ${nats.url} (${err.code}) and starting local servers is disabled. ` +
          `Run \`nats-server -js -a ${nats.host} -p ${nats.port}\` or set NATS_URL to a reachable server.`,
      );
    }
    info = await startLocalNats(nats, err, { log, install, ctx, status });
  }
  status.version = info.version || 'unknown';
  if (info.jetstream !== true) {
    throw new Error(
      `NATS ${status.version} at ${nats.url} has JetStream disabled. Restart it with JetStream enabled: ` +
        `\`nats-server -js\` (or add \`jetstream {}\` to its configuration file).`,
    );
  }
  status.jetstream = true;
  return status;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Makes sure Postgres and NATS JetStream are reachable and the platform database and roles exist.
 * Returns { postgres: { url, database, version, started, installed, created }, nats: { url, version,
 * jetstream, started, installed }, roles }.
 */
async function ensureInfra(options = {}) {
  const {
    log = console.log,
    databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL,
    install = true,
    start = true,
  } = options;
  const ctx = { aptUpdated: false };
  const { roles, ...postgres } = await ensurePostgres({ databaseUrl, log, install, start, ctx });
  const nats = await ensureNats({ natsUrl, log, install, start, ctx });
  return { postgres, nats, roles };
}

function formatSummary(summary) {
  const notes = (part) => [part.installed && 'installed', part.started && 'started'].filter(Boolean);
  const pg = parsePostgresUrl(summary.postgres.url);
  const pgNotes = [`PostgreSQL ${summary.postgres.version}`, summary.postgres.created && 'database created', ...notes(summary.postgres)];
  const natsNotes = [summary.nats.version, 'JetStream', ...notes(summary.nats)];
  return [
    `postgres  ok  ${pg.endpoint}/${summary.postgres.database} (${pgNotes.filter(Boolean).join(', ')})`,
    `nats      ok  ${parseNatsUrl(summary.nats.url).endpoint} (${natsNotes.join(', ')})`,
    `roles     ${summary.roles.join(', ')}`,
  ].join('\n');
}

const USAGE = `Usage: node tools/infra/ensure.js [--json] [--no-install] [--no-start]

Makes sure Postgres (DATABASE_URL, default ${DEFAULT_DATABASE_URL}) and NATS JetStream
(NATS_URL, default ${DEFAULT_NATS_URL}) are reachable, then creates the database and the
service roles.

  --json        print one JSON object on stdout (progress goes to stderr)
  --no-install  never install packages with apt-get
  --no-start    never start local servers`;

async function main(argv = process.argv.slice(2)) {
  const known = new Set(['--json', '--no-install', '--no-start', '--help', '-h']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  const json = argv.includes('--json');
  const log = json ? (message) => console.error(message) : (message) => console.log(message);
  try {
    const summary = await ensureInfra({ log, install: !argv.includes('--no-install'), start: !argv.includes('--no-start') });
    console.log(json ? JSON.stringify(summary) : formatSummary(summary));
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

module.exports = {
  DEFAULT_DATABASE_URL,
  DEFAULT_NATS_URL,
  ensureInfra,
  ensurePostgres,
  ensureNats,
  provisionDatabase,
  serviceRoles,
  readNatsInfo,
  formatSummary,
  main,
};

if (require.main === module) {
  main().then((code) => process.exit(code));
}
