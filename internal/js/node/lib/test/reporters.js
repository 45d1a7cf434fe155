'use strict';
// node:test/reporters: the built-in reporters as Node exposes them (async
// generators over the runner's event stream) plus the synchronous
// formatters node:test itself uses to print while tests run.
//
// Events are { type, data } with Node's names: test:start, test:pass,
// test:fail, test:plan, test:diagnostic. data carries name, nesting,
// testNumber, details { duration_ms, type, error }, skip, todo, file,
// line, column.

const util = require('util');

// ---- TAP ---------------------------------------------------------------

function tapEscape(s) {
  return String(s)
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(/\f/g, '\\f')
    .replace(/\x08/g, '\\b')
    .replace(/\v/g, '\\v');
}

function yamlScalar(v) {
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'bigint') return `${v}n`;
  return String(v);
}

// yamlValue renders key: value at indent (a string of spaces), following
// Node's TAP reporter: multi-line strings as |- blocks, objects nested.
function yamlValue(indent, key, value, seen) {
  if (value !== null && typeof value === 'object') {
    if (seen.has(value)) return `${indent}${key}: <Circular>\n`;
    seen.add(value);
    let out = `${indent}${key}:\n`;
    for (const k of Object.keys(value)) out += yamlValue(`${indent}  `, k, value[k], seen);
    seen.delete(value);
    return out;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    let out = `${indent}${key}: |-\n`;
    for (const line of value.split('\n')) out += `${indent}  ${line}\n`;
    return out;
  }
  if (typeof value === 'function') return `${indent}${key}: ${yamlScalar(`[Function: ${value.name || 'anonymous'}]`)}\n`;
  if (typeof value === 'symbol') return `${indent}${key}: ${yamlScalar(value.toString())}\n`;
  return `${indent}${key}: ${yamlScalar(value)}\n`;
}

function stackFrames(stack) {
  if (typeof stack !== 'string') return [];
  const out = [];
  for (const line of stack.split('\n')) {
    const m = /^\s*at (.*)$/.exec(line);
    // gnode's own frames (lib files, native calls) are noise in a report.
    if (m && !/\(?(node:[\w/]+|native)(:\d+:\d+)?\)?$/.test(m[1]) && !m[1].startsWith('node:')) out.push(m[1]);
  }
  return out;
}

// Failures whose cause is what user code threw.
const kCodeFailures = new Set(['testCodeFailure', 'hookFailed', 'uncaughtException', 'unhandledRejection']);

// errorYaml renders a test failure (an ERR_TEST_FAILURE error whose cause
// is what the test threw) as Node's TAP reporter does.
function errorYaml(indent, err) {
  const seen = new Set();
  const cause = err.cause;
  const fromCode = kCodeFailures.has(err.failureType);
  let message = err.message;
  let code = err.code;
  let name;
  let stack = err.stack;
  let assertion = false;
  if (fromCode && cause !== undefined) {
    if (cause !== null && typeof cause === 'object') {
      message = cause.message !== undefined ? String(cause.message) : util.inspect(cause);
      if (cause.code !== undefined) code = cause.code;
      name = cause.name;
      stack = cause.stack;
      assertion = 'expected' in cause && 'actual' in cause && 'operator' in cause;
    } else {
      message = String(cause);
      stack = undefined;
    }
  }
  let out = yamlValue(indent, 'error', message, seen);
  if (code !== undefined) out += yamlValue(indent, 'code', code, seen);
  if (name && name !== 'Error') out += yamlValue(indent, 'name', name, seen);
  if (assertion) {
    out += yamlValue(indent, 'expected', cause.expected, seen);
    out += yamlValue(indent, 'actual', cause.actual, seen);
    out += yamlValue(indent, 'operator', cause.operator, seen);
  }
  const frames = fromCode ? stackFrames(stack) : [];
  if (frames.length) out += `${indent}stack: |-\n${frames.map((f) => `${indent}  ${f}\n`).join('')}`;
  return out;
}

function directive(data) {
  if (data.todo !== undefined) return ` # TODO${typeof data.todo === 'string' && data.todo ? ` ${tapEscape(data.todo)}` : ''}`;
  if (data.skip !== undefined) return ` # SKIP${typeof data.skip === 'string' && data.skip ? ` ${tapEscape(data.skip)}` : ''}`;
  return '';
}

function tapDetails(data, indent) {
  const d = data.details || {};
  let out = `${indent}  ---\n`;
  if (d.duration_ms !== undefined) out += `${indent}  duration_ms: ${d.duration_ms}\n`;
  if (d.type !== undefined) out += `${indent}  type: ${yamlScalar(d.type)}\n`;
  if (d.error) {
    if (data.file !== undefined) out += `${indent}  location: ${yamlScalar(`${data.file}:${data.line}:${data.column}`)}\n`;
    out += `${indent}  failureType: ${yamlScalar(d.error.failureType)}\n`;
    if ('exitCode' in d.error) {
      // A test file that failed outside its tests (gnode --test).
      out += `${indent}  exitCode: ${d.error.exitCode === null ? '~' : d.error.exitCode}\n`;
      out += `${indent}  signal: ${d.error.signal === null ? '~' : yamlScalar(d.error.signal)}\n`;
    }
    out += errorYaml(`${indent}  `, d.error);
  }
  return `${out}${indent}  ...\n`;
}

// tapLine formats one event; the first event of a run also prints the
// version line.
function createTap() {
  let started = false;
  return function format(ev) {
    let out = '';
    if (!started) {
      started = true;
      out += 'TAP version 13\n';
    }
    const data = ev.data || {};
    const indent = '    '.repeat(data.nesting || 0);
    switch (ev.type) {
      case 'test:start':
        return `${out}${indent}# Subtest: ${tapEscape(data.name)}\n`;
      case 'test:pass':
      case 'test:fail': {
        const ok = ev.type === 'test:pass' ? 'ok' : 'not ok';
        out += `${indent}${ok} ${data.testNumber} - ${tapEscape(data.name)}${directive(data)}\n`;
        return out + tapDetails(data, indent);
      }
      case 'test:plan':
        return `${out}${indent}1..${data.count}\n`;
      case 'test:diagnostic':
      case 'test:stdout':
      case 'test:stderr':
        return `${out}${indent}# ${tapEscape(data.message)}\n`;
      default:
        return out;
    }
  };
}

// ---- spec ----------------------------------------------------------------

const colors = {
  'test:fail': '\u001b[31m',
  'test:pass': '\u001b[32m',
  'test:diagnostic': '\u001b[34m',
  skip: '\u001b[90m',
  reset: '\u001b[39m',
};
const symbols = {
  'test:fail': '\u2716 ', // ✖
  'test:pass': '\u2714 ', // ✔
  'test:diagnostic': '\u2139 ', // ℹ
  'test:coverage': '\u2139 ',
  'arrow:right': '\u25b6 ', // ▶
  'hyphen:minus': '\ufe63 ', // ﹣
};

function specError(err, indent, useColor) {
  if (!err) return '';
  const shown = kCodeFailures.has(err.failureType) ? err.cause : err;
  let text;
  if (shown !== null && typeof shown === 'object') {
    text = util.inspect(shown, { colors: useColor });
  } else {
    text = util.inspect(shown);
  }
  return `${text.split('\n').map((l) => `${indent}${l}`).join('\n')}\n`;
}

function createSpec(options = {}) {
  const useColor = !!options.colors;
  const c = (k) => (useColor ? colors[k] || '' : '');
  const reset = () => (useColor ? colors.reset : '');
  const stack = []; // announced parents, by nesting
  const failures = [];
  return function format(ev) {
    const data = ev.data || {};
    const nesting = data.nesting || 0;
    const indent = '  '.repeat(nesting);
    switch (ev.type) {
      case 'test:start':
        stack.length = nesting;
        stack[nesting] = { name: data.name, announced: false };
        return '';
      case 'test:pass':
      case 'test:fail': {
        let out = '';
        const d = data.details || {};
        // A parent is announced (▶ name) before its first child's result.
        for (let i = 0; i < nesting; i++) {
          const p = stack[i];
          if (p && !p.announced) {
            p.announced = true;
            out += `${'  '.repeat(i)}${symbols['arrow:right']}${p.name}\n`;
          }
        }
        stack.length = nesting;
        const dur = d.duration_ms !== undefined ? ` ${c('skip')}(${d.duration_ms}ms)${reset()}` : '';
        let sym = symbols[ev.type];
        let color = c(ev.type);
        let note = '';
        if (data.skip !== undefined) {
          sym = symbols['hyphen:minus'];
          color = c('skip');
          note = ` # ${typeof data.skip === 'string' && data.skip ? data.skip : 'SKIP'}`;
        } else if (data.todo !== undefined) {
          note = ` # ${typeof data.todo === 'string' && data.todo ? data.todo : 'TODO'}`;
        }
        out += `${indent}${color}${sym}${data.name}${dur}${note}${reset()}\n`;
        if (ev.type === 'test:fail' && d.error && d.error.failureType !== 'subtestsFailed') {
          out += specError(d.error, `${indent}  `, useColor) + '\n';
          // The summary shows each failure again at the outer level.
          failures.push({ data, text: `${color}${sym}${data.name}${dur}${note}${reset()}\n${specError(d.error, '  ', useColor)}` });
        }
        return out;
      }
      case 'test:diagnostic':
        return `${indent}${c('test:diagnostic')}${symbols['test:diagnostic']}${data.message}${reset()}\n`;
      case 'test:summary': {
        if (!failures.length) return '';
        let out = `\n${c('test:fail')}${symbols['test:fail']}failing tests:${reset()}\n\n`;
        for (const f of failures) {
          const file = f.data.file !== undefined ? require('path').relative(process.cwd(), f.data.file) : undefined;
          const loc = file !== undefined ? `test at ${file}:${f.data.line}:${f.data.column}\n` : '';
          out += `${loc}${f.text}\n`;
        }
        return out;
      }
      default:
        return '';
    }
  };
}

// ---- dot -------------------------------------------------------------------

function createDot() {
  let count = 0;
  const failed = [];
  return function format(ev) {
    let out = '';
    if (ev.type === 'test:pass' || ev.type === 'test:fail') {
      out += ev.type === 'test:pass' ? '.' : 'X';
      if (ev.type === 'test:fail') failed.push(ev.data.name);
      if (++count % 20 === 0) out += '\n';
    } else if (ev.type === 'test:summary') {
      out += '\n';
      if (failed.length) out += `\nFailed tests:\n\n${failed.map((n) => `${symbols['test:fail']}${n}\n`).join('')}`;
    }
    return out;
  };
}

// Node's reporters are async generators: source is an async iterable of
// events, each yielded string is written to the destination.
function toGenerator(create) {
  return async function* reporter(source) {
    const format = create();
    for await (const ev of source) {
      const s = format(ev);
      if (s) yield s;
    }
  };
}

const tap = toGenerator(createTap);
const dot = toGenerator(createDot);

const spec = toGenerator(createSpec);

async function* junit(source) {
  yield '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n';
  for await (const ev of source) {
    if (ev.type === 'test:pass' || ev.type === 'test:fail') {
      const d = ev.data;
      const t = d.details && d.details.duration_ms !== undefined ? d.details.duration_ms / 1000 : 0;
      const name = String(d.name).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      yield `\t<testcase name="${name}" time="${t}">${ev.type === 'test:fail' ? '<failure/>' : ''}</testcase>\n`;
    }
  }
  yield '</testsuites>\n';
}

async function* lcov(source) {
  for await (const ev of source) void ev;
}

module.exports = { dot, junit, spec, tap, lcov };

// Synchronous formatters for node:test (not part of Node's API).
Object.defineProperty(module.exports, 'internalFormatters', {
  value: { tap: createTap, spec: createSpec, dot: createDot },
  enumerable: false,
});
