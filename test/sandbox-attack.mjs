// Pull request code that tries to get out of the sandbox (run by controller/process/sandbox.test.ts inside it).
// Every attempt is reported as { attack, blocked, detail }: detail says what could not be read or done,
// or, when an attempt got through, the first 300 characters of what it got.
// argv[2]: JSON { controllerPid, port, hostAddresses, outDir, outFile, files: { name: path }, readOnlyDirs: { name: dir } }
import { spawn, spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const target = JSON.parse(process.argv[2]);
const results = [];
const report = (attack, blocked, detail) => results.push({ attack, blocked, detail });
const errorText = (e) => {
  const message = e.message.split('\n')[0];
  return e.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
};

function tryRead(attack, path) {
  try {
    report(attack, false, `read ${path}: ${readFileSync(path, 'utf8').replace(/\0/g, ' ').slice(0, 300)}`);
  } catch (e) {
    report(attack, true, `cannot read ${path}: ${errorText(e)}`);
  }
}

/** Lists `dir`; the attempt got nothing when the listing holds only the sandbox's own entries (`own`). */
function tryList(attack, dir, own = []) {
  try {
    const entries = readdirSync(dir);
    report(
      attack,
      entries.every((e) => own.includes(e)),
      `listed ${dir}: ${entries.join(' ')} (the sandbox's own: ${own.join(' ')})`,
    );
  } catch (e) {
    report(attack, true, `cannot list ${dir}: ${errorText(e)}`);
  }
}

function tryWrite(attack, path) {
  try {
    writeFileSync(path, 'planted by a pull request');
    report(attack, false, `wrote ${path}`);
  } catch (e) {
    report(attack, true, `cannot write ${path}: ${errorText(e)}`);
  }
}

/** Runs `script` in a child node and reports how it ended; `held` says whether that ending means the limit held. */
function tryChild(attack, script, held) {
  const started = Date.now();
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (child.error) return report(attack, false, `could not even start: ${errorText(child.error)}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const progress = child.stdout.trim().split('\n').at(-1) || 'no progress';
  const ending = child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
  const why = child.stderr.split('\n').find((l) => /^\w*Error\b|\bE[A-Z]{3,}\b/.test(l)) ?? '';
  report(attack, held(child, progress), `${ending} after ${seconds} s, ${progress}; ${why.trim()}`);
}

// The controller's environment and files.
tryRead('controller environment by host pid', `/proc/${target.controllerPid}/environ`);
/** /proc/<pid> of the host's init or of the controller, unless that pid is the sandbox's own bubblewrap. */
function tryReadProcess(attack, pid) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').replace(/\0/g, ' ');
    const own = cmdline[0].endsWith('/bwrap');
    report(
      attack,
      own,
      `${own ? `pid ${pid} is the sandbox's own init (bwrap)` : `pid ${pid} is ${cmdline.join(' ')}`}, environment: ${environ}`,
    );
  } catch (e) {
    report(attack, true, `cannot read /proc/${pid}: ${errorText(e)}`);
  }
}
tryReadProcess('environment of pid 1', 1);
tryReadProcess('environment of the parent', process.ppid);
const visible = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
const commandOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch (e) {
    return errorText(e);
  }
};
/** The sandbox's own processes: bubblewrap's init, this script and what it started. */
const isOwn = (pid) => /^\S*\/bwrap |attack\.mjs/.test(commandOf(pid));
report('processes visible in /proc', visible.every(isOwn), `pids ${visible.join(' ')}: ${visible.map(commandOf).join(' | ')}`);
const foreign = visible.filter((pid) => !isOwn(pid));
const environments = foreign.map((pid) => {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/environ`, 'utf8').replace(/\0/g, ' ')}`;
  } catch (e) {
    return `${pid}: ${errorText(e)}`;
  }
});
report(
  'environments of processes not in the sandbox',
  environments.length === 0,
  `${foreign.length} such processes; ${environments.join(' | ').slice(0, 2000)}`,
);
try {
  process.kill(target.controllerPid, 'SIGKILL');
  report('kill the controller', false, `sent SIGKILL to ${target.controllerPid}`);
} catch (e) {
  report('kill the controller', true, `cannot signal ${target.controllerPid}: ${errorText(e)}`);
}
for (const [name, path] of Object.entries(target.files)) tryRead(name, path);
tryList('list /root', '/root');
tryRead('read /etc/shadow', '/etc/shadow');
tryRead('read /etc/passwd', '/etc/passwd');
tryList('list /home', '/home', ['sandbox']);
for (const [name, dir] of Object.entries(target.readOnlyDirs)) tryWrite(name, join(dir, 'planted.js'));

// The network: a server on the host (its loopback and its other addresses), and name resolution.
function tryConnect(attack, host) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: target.port, timeout: 3000 });
    socket.on('connect', () => {
      report(attack, false, `connected to ${host}:${target.port}`);
      socket.destroy();
      resolve();
    });
    socket.on('error', (e) => {
      report(attack, true, `cannot connect to ${host}:${target.port}: ${errorText(e)}`);
      resolve();
    });
    socket.on('timeout', () => {
      report(attack, true, `no answer from ${host}:${target.port} in 3 s`);
      socket.destroy();
      resolve();
    });
  });
}
await tryConnect('connect to the host on 127.0.0.1', '127.0.0.1');
for (const address of target.hostAddresses) await tryConnect(`connect to the host on ${address}`, address);
try {
  const found = await lookup('registry.npmjs.org');
  report('resolve registry.npmjs.org', false, `resolved to ${found.address}`);
} catch (e) {
  report('resolve registry.npmjs.org', true, `cannot resolve registry.npmjs.org: ${errorText(e)}`);
}

// Resources: processes, one huge file, a full tmpfs, memory, CPU.
const sleepers = [];
let forkError = 'no error';
for (let i = 0; i < 300; i++) {
  const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
  child.on('error', (e) => (forkError = errorText(e)));
  sleepers.push(child);
}
await new Promise((r) => setTimeout(r, 500));
const started = sleepers.filter((c) => c.pid !== undefined).length;
report('start 300 processes', started < 300, `${started} of 300 started; ${forkError}`);
const live = sleepers.filter((c) => c.pid !== undefined);
await Promise.all(live.map((c) => new Promise((resolve) => (c.on('exit', resolve), c.kill('SIGKILL')))));

tryChild(
  'write a 1 GiB file into the output',
  `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(join(target.outDir, 'huge.bin'))}, 'w'); const mb = Buffer.alloc(1 << 20, 7);
   for (let i = 1; i <= 1024; i++) { fs.writeSync(fd, mb); console.log(i + ' MiB written'); }`,
  (child, progress) => !progress.startsWith('1024 '),
);
tryChild(
  'fill the /tmp tmpfs',
  `const fs = require('fs'); const mb = Buffer.alloc(1 << 20, 7);
   for (let i = 1; i <= 1024; i++) { fs.writeFileSync('/tmp/fill-' + i, mb); console.log(i + ' MiB in /tmp'); }`,
  (child, progress) => !progress.startsWith('1024 '),
);
tryChild(
  'allocate 8 GiB of memory',
  `const kept = []; for (let i = 1; i <= 128; i++) { kept.push(Buffer.alloc(64 << 20, 1)); console.log(i * 64 + ' MiB allocated'); }`,
  (child, progress) => !progress.startsWith('8192 '),
);
tryChild(
  'spin the CPU for 60 s',
  `const end = Date.now() + 60000; let n = 0; while (Date.now() < end) n++; console.log('spun 60 s')`,
  (child) => child.signal === 'SIGXCPU' || child.signal === 'SIGKILL',
);

writeFileSync(target.outFile, JSON.stringify(results, null, 2));
