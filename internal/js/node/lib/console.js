'use strict';
// node:console. The global console writes through process.stdout and
// process.stderr; formatting is util.format/inspect (lib/util.js) once
// present, and a small built-in formatter until then.

const kCounts = Symbol('counts');
const kTimers = Symbol('timers');
const kGroup = Symbol('groupIndent');

let utilMod;
function util() {
  if (utilMod === undefined) {
    try {
      utilMod = internalBinding('natives').exists('util') ? require('util') : null;
    } catch {
      utilMod = null;
    }
  }
  return utilMod;
}

// simpleFormat formats the common all-primitive call without util: the
// result is what util.format gives for these values.
function simpleFormat(args) {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let s;
    switch (typeof a) {
      case 'string':
        if (i === 0 && a.includes('%')) return undefined;
        s = a;
        break;
      case 'number':
        if (Object.is(a, -0)) return undefined;
        s = String(a);
        break;
      case 'boolean':
      case 'undefined':
        s = String(a);
        break;
      default:
        if (a !== null) return undefined;
        s = 'null';
    }
    out = i === 0 ? s : out + ' ' + s;
  }
  return out;
}

function format(args, stream) {
  const simple = simpleFormat(args);
  if (simple !== undefined && !(stream && stream.isTTY)) return simple;
  const u = util();
  if (u && typeof u.formatWithOptions === 'function') {
    // Colors on a terminal only, as Node's console (colorMode 'auto').
    const colors = !!(stream && stream.isTTY && typeof stream.hasColors === 'function' && stream.hasColors());
    return u.formatWithOptions(colors ? { colors } : {}, ...args);
  }
  if (u && typeof u.format === 'function') return u.format(...args);
  return fallbackFormat(args);
}

function Console(options, stderr, ignoreErrors) {
  if (!new.target) return new Console(options, stderr, ignoreErrors);
  if (options && typeof options.write === 'function') options = { stdout: options, stderr };
  const out = options && options.stdout;
  const err = (options && options.stderr) || out;
  this._stdout = out;
  this._stderr = err;
  this[kCounts] = new Map();
  this[kTimers] = new Map();
  this[kGroup] = '';
  // Methods are bound so they can be passed around (arr.forEach(console.log)).
  for (const k of Object.keys(Console.prototype)) {
    if (typeof Console.prototype[k] === 'function') this[k] = Console.prototype[k].bind(this);
  }
}

function outStream(con) { return con._stdout || process.stdout; }
function errStream(con) { return con._stderr || process.stderr; }

function write(con, toErr, text) {
  const stream = toErr ? (con._stderr || process.stderr) : (con._stdout || process.stdout);
  if (con[kGroup]) text = con[kGroup] + text.split('\n').join('\n' + con[kGroup]);
  stream.write(text + '\n');
}

Object.assign(Console.prototype, {
  log(...args) { write(this, false, format(args, outStream(this))); },
  info(...args) { write(this, false, format(args, outStream(this))); },
  debug(...args) { write(this, false, format(args, outStream(this))); },
  warn(...args) { write(this, true, format(args, errStream(this))); },
  error(...args) { write(this, true, format(args, errStream(this))); },
  dir(obj, options) {
    const u = util();
    write(this, false, u && u.inspect ? u.inspect(obj, { customInspect: false, ...options }) : fallbackInspect(obj, 0, new Set()));
  },
  dirxml(...args) { this.log(...args); },
  trace(...args) {
    const err = new Error(format(args));
    err.name = 'Trace';
    const stack = String(err.stack).split('\n');
    stack.splice(1, 1);
    write(this, true, stack.join('\n'));
  },
  assert(ok, ...args) {
    if (!ok) {
      if (args.length && typeof args[0] === 'string') args[0] = `Assertion failed: ${args[0]}`;
      else args.unshift('Assertion failed');
      this.warn(...args);
    }
  },
  count(label = 'default') {
    label = `${label}`;
    const n = (this[kCounts].get(label) || 0) + 1;
    this[kCounts].set(label, n);
    this.log(`${label}: ${n}`);
  },
  countReset(label = 'default') {
    label = `${label}`;
    if (!this[kCounts].has(label)) {
      process.emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    this[kCounts].delete(label);
  },
  group(...args) {
    if (args.length) this.log(...args);
    this[kGroup] += '  ';
  },
  groupCollapsed(...args) { this.group(...args); },
  groupEnd() { this[kGroup] = this[kGroup].slice(0, -2); },
  time(label = 'default') {
    label = `${label}`;
    if (this[kTimers].has(label)) {
      process.emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    this[kTimers].set(label, process.hrtime.bigint());
  },
  timeEnd(label = 'default') {
    label = `${label}`;
    if (!timeLog(this, label, 'timeEnd', [])) return;
    this[kTimers].delete(label);
  },
  timeLog(label = 'default', ...data) {
    timeLog(this, `${label}`, 'timeLog', data);
  },
  table(data, properties) {
    const u = util();
    if (data === null || typeof data !== 'object') return this.log(data);
    const rows = Object.keys(data);
    const cols = new Set();
    let hasValues = false;
    for (const r of rows) {
      const v = data[r];
      if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) cols.add(k);
      else hasValues = true;
    }
    let columns = properties || [...cols];
    const header = ['(index)', ...columns];
    if (hasValues && !properties) header.push('Values');
    const fmt = (v) => (u && u.inspect ? u.inspect(v) : fallbackInspect(v, 1, new Set()));
    const table = rows.map((r) => {
      const v = data[r];
      const line = [r];
      for (const c of columns) line.push(v !== null && typeof v === 'object' && c in v ? fmt(v[c]) : '');
      if (hasValues && !properties) line.push(v !== null && typeof v === 'object' ? '' : fmt(v));
      return line;
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((l) => l[i].length)) + 2);
    // Node 20.10+ left-aligns every cell with one space of padding.
    const center = (s, w) => ' ' + s + ' '.repeat(w - s.length - 1);
    const lines = [];
    lines.push('┌' + widths.map((w) => '─'.repeat(w)).join('┬') + '┐');
    lines.push('│' + header.map((h, i) => center(h, widths[i])).join('│') + '│');
    lines.push('├' + widths.map((w) => '─'.repeat(w)).join('┼') + '┤');
    for (const l of table) lines.push('│' + l.map((c, i) => center(c, widths[i])).join('│') + '│');
    lines.push('└' + widths.map((w) => '─'.repeat(w)).join('┴') + '┘');
    write(this, false, lines.join('\n'));
  },
  profile() {},
  profileEnd() {},
  timeStamp() {},
});

function timeLog(con, label, name, data) {
  const start = con[kTimers].get(label);
  if (start === undefined) {
    process.emitWarning(`No such label '${label}' for console.${name}()`);
    return false;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let t;
  if (ms >= 3600000) t = `${(ms / 3600000).toFixed(3)}h`;
  else if (ms >= 60000) t = `${(ms / 60000).toFixed(3)}min`;
  else if (ms >= 1000) t = `${(ms / 1000).toFixed(3)}s`;
  else t = `${ms.toFixed(3)}ms`;
  con.log(`${label}: ${t}`, ...data);
  return true;
}

// ---- fallback formatting (until lib/util.js lands) ----------------------------

function fallbackFormat(args) {
  if (args.length === 0) return '';
  let out = '';
  let i = 0;
  const first = args[0];
  if (typeof first === 'string') {
    i = 1;
    let last = 0;
    for (let j = 0; j < first.length - 1; j++) {
      if (first[j] !== '%') continue;
      const c = first[j + 1];
      let rep;
      switch (c) {
        case 's': rep = i < args.length ? (typeof args[i] === 'string' ? args[i] : typeof args[i] === 'object' && args[i] !== null ? fallbackInspect(args[i], 1, new Set()) : String(args[i])) : undefined; break;
        case 'd': case 'i': rep = i < args.length ? String(c === 'i' ? parseInt(args[i]) : Number(args[i])) : undefined; break;
        case 'f': rep = i < args.length ? String(parseFloat(args[i])) : undefined; break;
        case 'j': rep = i < args.length ? JSON.stringify(args[i]) : undefined; break;
        case 'o': case 'O': rep = i < args.length ? fallbackInspect(args[i], 0, new Set()) : undefined; break;
        case 'c': rep = i < args.length ? '' : undefined; break;
        case '%': out += first.slice(last, j) + '%'; last = j + 2; j++; continue;
        default: continue;
      }
      if (rep === undefined) continue;
      i++;
      out += first.slice(last, j) + rep;
      last = j + 2;
      j++;
    }
    out += first.slice(last);
  }
  for (; i < args.length; i++) {
    const a = args[i];
    if (out !== '' || i > 0) out += ' ';
    out += typeof a === 'string' ? a : fallbackInspect(a, 0, new Set());
  }
  return out;
}

const identRE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function fallbackInspect(v, depth, seen) {
  switch (typeof v) {
    case 'string': return depth === 0 ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'symbol': return v.toString();
    case 'undefined': return 'undefined';
    case 'boolean': return String(v);
    case 'function': {
      const name = v.name ? `: ${v.name}` : ' (anonymous)';
      const kind = /^class\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'Function';
      return kind === 'class' ? `[class ${v.name || '(anonymous)'}]` : `[${kind}${name}]`;
    }
  }
  if (v === null) return 'null';
  if (seen.has(v)) return '[Circular *1]';
  if (v instanceof Error) return v.stack || String(v);
  if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
  if (v instanceof RegExp) return String(v);
  if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
  seen.add(v);
  try {
    let parts;
    let open = '{';
    let close = '}';
    let prefix = '';
    if (Array.isArray(v)) {
      open = '['; close = ']';
      parts = v.map((x) => fallbackInspect(x, depth + 1, seen));
      if (parts.length === 0) return '[]';
    } else if (v instanceof Map) {
      prefix = `Map(${v.size}) `;
      parts = [...v].map(([k, x]) => `${fallbackInspect(k, depth + 1, seen)} => ${fallbackInspect(x, depth + 1, seen)}`);
      if (parts.length === 0) return `${prefix}{}`;
    } else if (v instanceof Set) {
      prefix = `Set(${v.size}) `;
      parts = [...v].map((x) => fallbackInspect(x, depth + 1, seen));
      if (parts.length === 0) return `${prefix}{}`;
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor && v.constructor.name === 'Buffer' ? 'Buffer' : v.constructor.name;
      if (name === 'Buffer') {
        const hex = [...v.subarray(0, 50)].map((b) => b.toString(16).padStart(2, '0'));
        return `<Buffer${hex.length ? ' ' + hex.join(' ') : ''}${v.length > 50 ? ` ... ${v.length - 50} more bytes` : ''}>`;
      }
      prefix = `${name}(${v.length}) `;
      open = '['; close = ']';
      parts = [...v].map(String);
      if (parts.length === 0) return `${prefix}[]`;
    } else if (v instanceof Promise) {
      return 'Promise { <unknown> }';
    } else {
      const proto = Object.getPrototypeOf(v);
      const ctor = proto && proto.constructor && proto.constructor.name;
      if (proto === null) prefix = '[Object: null prototype] ';
      else if (ctor && ctor !== 'Object') prefix = `${ctor} `;
      parts = [];
      for (const k of Object.keys(v)) parts.push(`${identRE.test(k) ? k : `'${k}'`}: ${fallbackInspect(v[k], depth + 1, seen)}`);
      for (const s of Object.getOwnPropertySymbols(v)) {
        if (Object.prototype.propertyIsEnumerable.call(v, s)) parts.push(`[${s.toString()}]: ${fallbackInspect(v[s], depth + 1, seen)}`);
      }
      if (parts.length === 0) return `${prefix}{}`;
    }
    const oneLine = `${prefix}${open} ${parts.join(', ')} ${close}`;
    if (oneLine.length <= 72 && !parts.some((p) => p.includes('\n'))) return oneLine;
    const pad = '  ';
    return `${prefix}${open}\n${parts.map((p) => pad + p.split('\n').join('\n' + pad)).join(',\n')}\n${close}`;
  } finally {
    seen.delete(v);
  }
}

const globalConsole = new Console({ stdout: null, stderr: null });
globalConsole.Console = Console;

module.exports = globalConsole;
