// Preloaded into the language server (`node --require`) by test/protocol/sideEffects.test.ts. Records, one line
// each in the file SENTINEL_LOG, every attempt to reach the network, start a process or a worker other than
// the server's own threads, compile code
// at run time (vm), load a module from outside the server's own bundle, or write, delete or rename a file.
// The calls still go through: the test asserts that none was made.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const logFile = process.env.SENTINEL_LOG;
const allowedDir = process.env.SENTINEL_ALLOWED_DIR; // the server's dist/ folder: its own bundle may load itself
const appendFileSync = fs.appendFileSync;
// Before anything is wrapped: proof for the test that this process runs under the sentinel.
fs.writeFileSync(`${logFile}.pid`, String(process.pid));
let recording = false;
/** Appends a line to a file; the writes of the append itself (which go through the wrapped functions) are not recorded. */
function appendLine(file, line) {
  if (recording) return;
  recording = true;
  try {
    appendFileSync(file, `${line}\n`);
  } finally {
    recording = false;
  }
}

function record(what) {
  appendLine(logFile, what);
}

function wrap(object, name, label) {
  const original = object[name];
  if (typeof original !== 'function') return;
  object[name] = function (...args) {
    record(`${label}.${name}(${args.filter((a) => typeof a === 'string' || typeof a === 'number').slice(0, 2).map(String).join(', ')})`);
    return original.apply(this, args);
  };
}

for (const [id, names] of [
  ['node:net', ['connect', 'createConnection', 'createServer']],
  ['node:tls', ['connect', 'createServer']],
  ['node:http', ['request', 'get', 'createServer']],
  ['node:https', ['request', 'get', 'createServer']],
  ['node:http2', ['connect', 'createServer']],
  ['node:dgram', ['createSocket']],
  ['node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']],
  ['node:child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']],
  ['node:vm', ['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction']],
]) {
  const target = require(id);
  for (const name of names) wrap(target, name, id);
}
wrap(require('node:net').Socket.prototype, 'connect', 'net.Socket');
const workerThreads = require('node:worker_threads');
const Worker = workerThreads.Worker;
workerThreads.Worker = function (...args) {
  const [file, options] = args;
  // The server's threads run its own bundle (dist/readerWorker.js, dist/layoutWorker.js): noted apart, for the test to check.
  // This file is preloaded into those threads too, so what they do is recorded like the rest.
  const own = typeof file === 'string' && !options?.eval && allowedDir && path.resolve(file).startsWith(allowedDir + path.sep);
  if (own) appendLine(`${logFile}.workers`, file);
  else record(`worker_threads.Worker(${String(file)})`);
  return new Worker(...args);
};
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'globalThis');
if (typeof globalThis.WebSocket === 'function') wrap(globalThis, 'WebSocket', 'globalThis');

const writes = ['writeFile', 'writeFileSync', 'appendFile', 'mkdir', 'mkdirSync', 'mkdtemp', 'mkdtempSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'truncate', 'truncateSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'chmod', 'chmodSync', 'utimes', 'utimesSync', 'createWriteStream'];
for (const name of writes) wrap(fs, name, 'fs');
for (const name of writes) wrap(fs.promises, name, 'fs.promises');
fs.appendFileSync = function (...args) {
  record(`fs.appendFileSync(${String(args[0])})`);
  return appendFileSync.apply(this, args);
};
for (const [object, label] of [[fs, 'fs'], [fs.promises, 'fs.promises']]) {
  const open = object.open;
  object.open = function (file, flags, ...rest) {
    if (typeof flags === 'string' && /[wa+]/.test(flags)) record(`${label}.open(${String(file)}, ${flags})`);
    return open.call(this, file, flags, ...rest);
  };
}
const openSync = fs.openSync;
fs.openSync = function (file, flags, ...rest) {
  if (typeof flags === 'string' && /[wa+]/.test(flags)) record(`fs.openSync(${String(file)}, ${flags})`);
  return openSync.call(this, file, flags, ...rest);
};

// Modules: builtins and the server's own bundle only; anything else (a workspace file above all) is recorded.
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (!request.startsWith('node:') && !Module.isBuiltin(request)) {
    let resolved = request;
    try {
      resolved = Module._resolveFilename(request, parent);
    } catch {}
    if (!allowedDir || !path.resolve(resolved).startsWith(allowedDir + path.sep)) record(`require(${resolved})`);
  }
  return load.call(this, request, parent, ...rest);
};
