'use strict';
// t.js is the tiny assertion helper every *.test.js file uses.
//
//   const t = require('./t.js');          // '../t.js' from a subfolder
//   const path = t.lib('path');           // gnode's implementation
//   const real = t.ref('path');           // Node's module, or null
//   t.diff('join a b', 'path', (m) => m.join('a', 'b'));
//   t.same('label', got, want);
//   t.ok('label', cond, detail);
//
// Where the module under test comes from:
//  - under real node (the default), lib(id) loads gnode's lib source through
//    ./harness.js and ref(id) is Node's own module;
//  - under gnode, the runner defines globalThis.__gnodeLibtest =
//    { loadLib(id) } before the test file runs; lib(id) uses it. There is no
//    reference module there, so diff() compares with results recorded under
//    node: run the suite under node with LIBTEST_RECORD=<dir> (one JSON file
//    per test file, label → serialized result), then under gnode with
//    LIBTEST_GOLDEN=<dir>.
//
// Each test file prints its mismatches and one summary line
// "libtest: <file>: N cases, M mismatches" and exits 1 when M > 0.

const hostFs = require('fs');
const hostPath = require('path');

// LIBTEST_FILE names the test when a wrapper script is the main module.
const testFile = process.env.LIBTEST_FILE ||
  (require.main && require.main.filename ? require.main.filename : process.argv[1]);
const testName = hostPath.relative(__dirname, testFile || 'unknown');
const gnodeHost = typeof globalThis.__gnodeLibtest === 'object' && globalThis.__gnodeLibtest !== null
  ? globalThis.__gnodeLibtest : null;

let harness = null;
function getHarness() {
  if (harness === null) harness = require('./harness.js');
  return harness;
}

function lib(id) {
  if (gnodeHost) return gnodeHost.loadLib(id);
  return getHarness().loadLib(id);
}

function ref(id) {
  if (gnodeHost) return null;
  if (id.startsWith('internal/')) {
    // Node's own internals, reachable because the driver passes
    // --expose-internals.
    try {
      return require(id);
    } catch {
      return null;
    }
  }
  return require(id.startsWith('node:') ? id : 'node:' + id);
}

const recordDir = process.env.LIBTEST_RECORD || '';
const goldenDir = process.env.LIBTEST_GOLDEN || '';
const recorded = {};
let golden = null;
if (goldenDir) {
  const f = hostPath.join(goldenDir, testName + '.json');
  golden = hostFs.existsSync(f) ? JSON.parse(hostFs.readFileSync(f, 'utf8')) : {};
}

let cases = 0;
let mismatches = 0;
const maxPrinted = Number(process.env.LIBTEST_MAX_PRINT || 40);
const seenLabels = new Map();

function uniqueLabel(label) {
  const n = seenLabels.get(label) || 0;
  seenLabels.set(label, n + 1);
  return n === 0 ? label : `${label} #${n + 1}`;
}

// show serializes a value into a deterministic string without util.inspect
// (which is itself under test), so results of the two modules can be
// compared and recorded.
function show(v, depth = 0, seen = []) {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'symbol': return v.toString();
    case 'function': return `[function ${v.name}]`;
  }
  if (v === null) return 'null';
  if (seen.includes(v)) return '[circular]';
  if (depth > 8) return '[deep]';
  seen = seen.concat([v]);
  const sub = (x) => show(x, depth + 1, seen);
  if (v instanceof Error || Object.prototype.toString.call(v) === '[object Error]') {
    const extra = Object.keys(v).filter((k) => k !== 'stack')
      .map((k) => `${k}: ${sub(v[k])}`);
    return `${v.name}${v.code !== undefined ? `[${v.code}]` : ''}(${JSON.stringify(v.message)}` +
      `${extra.length ? ', {' + extra.join(', ') + '}' : ''})`;
  }
  if (Array.isArray(v)) return `[${v.map(sub).join(', ')}]`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${sub(k)} => ${sub(x)}`).join(', ')}}`;
  if (v instanceof Set) return `Set{${[...v].map(sub).join(', ')}}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v).join(', ')}]`;
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (v instanceof RegExp) return String(v);
  const proto = Object.getPrototypeOf(v);
  const name = proto === null ? '[null]' : (proto.constructor && proto.constructor.name) || '';
  const keys = Object.keys(v).map((k) => `${JSON.stringify(k)}: ${sub(v[k])}`);
  return `${name === 'Object' ? '' : name}{${keys.join(', ')}}`;
}

function report(label, input, got, want) {
  mismatches++;
  if (mismatches <= maxPrinted) {
    const lines = [`MISMATCH ${label}`];
    if (input !== undefined) lines.push(`  input: ${typeof input === 'string' ? input : show(input)}`);
    lines.push(`  gnode: ${got}`, `  node:  ${want}`);
    console.log(lines.join('\n'));
  }
}

// same compares two already-computed values.
function same(label, got, want, input) {
  cases++;
  const g = show(got);
  const w = show(want);
  if (g !== w) report(label, input, g, w);
  return g === w;
}

// ok checks a condition; detail is printed on failure.
function ok(label, cond, detail) {
  cases++;
  if (!cond) report(label, undefined, `false${detail !== undefined ? ' ' + show(detail) : ''}`, 'true');
  return !!cond;
}

function run(fn, mod) {
  try {
    return show(fn(mod));
  } catch (e) {
    return `throws ${show(e)}`;
  }
}

// diff runs fn on gnode's module and on Node's (or the recorded result),
// and compares the serialized results, thrown errors included.
function diff(label, id, fn, input) {
  cases++;
  const key = uniqueLabel(label);
  const got = run(fn, lib(id));
  let want;
  const real = ref(id);
  if (real) {
    want = run(fn, real);
    if (recordDir) recorded[key] = want;
  } else if (golden && Object.prototype.hasOwnProperty.call(golden, key)) {
    want = golden[key];
  } else {
    return true; // nothing to compare with (gnode without a recording)
  }
  if (got !== want) {
    report(label, input, got, want);
    return false;
  }
  return true;
}

// diffAsync is diff for functions returning promises; await it.
async function diffAsync(label, id, fn, input) {
  cases++;
  const key = uniqueLabel(label);
  const settle = async (mod) => {
    try {
      return show(await fn(mod));
    } catch (e) {
      return `rejects ${show(e)}`;
    }
  };
  const got = await settle(lib(id));
  let want;
  const real = ref(id);
  if (real) {
    want = await settle(real);
    if (recordDir) recorded[key] = want;
  } else if (golden && Object.prototype.hasOwnProperty.call(golden, key)) {
    want = golden[key];
  } else {
    return true;
  }
  if (got !== want) {
    report(label, input, got, want);
    return false;
  }
  return true;
}

let failedHard = false;
function fail(label, err) {
  failedHard = true;
  mismatches++;
  console.log(`FAIL ${label}: ${err && err.stack ? err.stack : err}`);
}

process.on('uncaughtException', (e) => { fail('uncaught exception', e); process.exit(1); });
process.on('unhandledRejection', (e) => { fail('unhandled rejection', e); process.exit(1); });

process.on('exit', (code) => {
  if (recordDir) {
    const f = hostPath.join(recordDir, testName + '.json');
    hostFs.mkdirSync(hostPath.dirname(f), { recursive: true });
    hostFs.writeFileSync(f + '.tmp', JSON.stringify(recorded, null, 1));
    hostFs.renameSync(f + '.tmp', f);
  }
  console.log(`libtest: ${testName}: ${cases} cases, ${mismatches} mismatches`);
  if (mismatches > 0 || failedHard) process.exitCode = 1;
  else if (code) process.exitCode = code;
});

// frames replaces each run of stack frame lines in s (inspect output,
// assert diffs with "+"/"-" markers, colored or not) by one "<frames>" line:
// frames name engine and loader internals that differ between node and
// gnode, while the layout around them is what tests compare.
const frameLine = /^([+-]?)(?:\u001b\[\d+m)?[ ]+(?:\u001b\[\d+m)?[ ]*(?:at \S.*|\.\.\. \d+ lines matching cause stack trace \.\.\.(?:\u001b\[\d+m)?)$/;
function frames(s) {
  if (typeof s !== 'string') return s;
  const out = [];
  let inRun = false;
  for (const line of s.split('\n')) {
    const m = frameLine.exec(line);
    if (m) {
      if (!inRun) out.push(`${m[1]}<frames>`);
      inRun = true;
    } else {
      out.push(line);
      inRun = false;
    }
  }
  return out.join('\n');
}

module.exports = { lib, ref, same, ok, diff, diffAsync, fail, show, frames, gnode: gnodeHost !== null };
