'use strict';
// internal/errors against Node's own internal/errors.
const t = require('./t.js');

function describe(e) {
  return {
    name: e.name,
    message: e.message,
    code: e.code,
    str: String(e),
    head: typeof e.stack === 'string' ? e.stack.split('\n')[0] : e.stack,
    keys: Object.keys(e),
    ctor: e.constructor && e.constructor.name,
    isError: e instanceof Error,
    extra: Object.fromEntries(Object.keys(e).filter((k) => k !== 'code').map((k) => [k, e[k]])),
  };
}

class Foo {}
const values = [undefined, null, 0, -0, 1, -1.5, NaN, Infinity, -Infinity, 2 ** 40, 12345678901234,
  1n, 2n ** 40n, -(2n ** 33n), true, false, '', 'abc', "it's", 'a'.repeat(30), "a'".repeat(20),
  Symbol('s'), Symbol(), function named() {}, () => {}, class K {}, {}, [], [1, 2],
  new Foo(), Object.create(null), new Map([[1, 2]]), new Date(0), /re/g, new Error('x')];

const names = ['path', 'options.flag', 'first argument', 'buf', 'a.b.c'];
const expecteds = ['string', 'number', 'object', 'Function', 'Buffer', ['string', 'Buffer', 'URL'],
  ['string', 'number'], ['string', 'number', 'boolean'], ['object', 'Buffer'],
  ['Buffer', 'TypedArray', 'DataView'], ['string', 'Buffer', 'TypedArray', 'DataView', 'null'],
  'an integer', ['null', 'undefined'], ['Object', 'Array'], ['number', 'bigint'], 'Array',
  ['function', 'AsyncFunction'], 'ArrayBuffer', ['Buffer', 'null', 'something', 'else']];

for (const name of names) {
  for (const expected of expecteds) {
    for (const v of values.slice(0, 12)) {
      t.diff(`ERR_INVALID_ARG_TYPE ${name} ${expected}`, 'internal/errors',
        (m) => describe(new m.codes.ERR_INVALID_ARG_TYPE(name, expected, v)), [name, expected, v]);
    }
  }
}
for (const v of values) {
  t.diff('ERR_INVALID_ARG_TYPE received', 'internal/errors',
    (m) => describe(new m.codes.ERR_INVALID_ARG_TYPE('x', 'string', v)), v);
}
for (const v of values) {
  for (const reason of [undefined, 'must be positive', 'is not supported']) {
    t.diff('ERR_INVALID_ARG_VALUE', 'internal/errors',
      (m) => describe(new m.codes.ERR_INVALID_ARG_VALUE('opt', v, reason)), [v, reason]);
    t.diff('ERR_INVALID_ARG_VALUE property', 'internal/errors',
      (m) => describe(new m.codes.ERR_INVALID_ARG_VALUE('options.x', v, reason)), [v, reason]);
  }
}
for (const v of values.filter((x) => typeof x !== 'symbol')) {
  for (const range of ['>= 0', '>= 0 && <= 2147483647', 'an integer']) {
    t.diff('ERR_OUT_OF_RANGE', 'internal/errors',
      (m) => describe(new m.codes.ERR_OUT_OF_RANGE('offset', range, v)), [range, v]);
  }
  t.diff('ERR_OUT_OF_RANGE replace', 'internal/errors',
    (m) => describe(new m.codes.ERR_OUT_OF_RANGE('Custom text.', '>= 1', v, true)), v);
}
for (const args of [['a'], ['a', 'b'], ['a', 'b', 'c'], [['a', 'b']], [['a', 'b'], 'c'], ['a', 'b', 'c', 'd']]) {
  t.diff('ERR_MISSING_ARGS', 'internal/errors',
    (m) => describe(new m.codes.ERR_MISSING_ARGS(...args)), args);
}
for (const args of [['/a/x.mjs', false, '/a/b.js'], ['/a/x.js', true, '/b/c.js', '/a/package.json'],
  ['/a/x.js', false, '/b/c.js', '/a/package.json'], ['/a/x.js', true, '/b/x.js', '/a/package.json']]) {
  t.diff('ERR_REQUIRE_ESM', 'internal/errors', (m) => describe(new m.codes.ERR_REQUIRE_ESM(...args)), args);
}
for (const args of [['/p/', './a', './x.js'], ['/p/', './a', 'x.js'], ['/p/', '.', 'x.js'], ['/p/', '.', './ok.js'],
  ['/p/', '#a', 'x.js', true], ['/p/', './a', 'x.js', false, '/b.js'], ['/p/', './a', ['arr']]]) {
  t.diff('ERR_INVALID_PACKAGE_TARGET', 'internal/errors', (m) => describe(new m.codes.ERR_INVALID_PACKAGE_TARGET(...args)), args);
}
t.diff('ERR_REQUIRE_ASYNC_MODULE', 'internal/errors', (m) => describe(new m.codes.ERR_REQUIRE_ASYNC_MODULE('/a.mjs', '/b.js')));
t.diff('ERR_INTERNAL_ASSERTION', 'internal/errors', (m) => describe(new m.codes.ERR_INTERNAL_ASSERTION('oops')));
t.diff('ERR_SCRIPT_EXECUTION_INTERRUPTED', 'internal/errors', (m) => describe(new m.codes.ERR_SCRIPT_EXECUTION_INTERRUPTED()));
for (const v of [undefined, 'boom', 42, { a: 1 }, new Error('inner'), null, [1, 2]]) {
  t.diff('ERR_UNHANDLED_ERROR', 'internal/errors', (m) => describe(new m.codes.ERR_UNHANDLED_ERROR(v)), v);
}
for (const args of [['http', 80], ['port', 'abc', false], ['Port', -1], ['p', 70000, true]]) {
  t.diff('ERR_SOCKET_BAD_PORT', 'internal/errors', (m) => describe(new m.codes.ERR_SOCKET_BAD_PORT(...args)), args);
}
for (const args of [['http://x'], ['x', 'http://b'], ['x', null]]) {
  t.diff('ERR_INVALID_URL', 'internal/errors', (m) => describe(new m.codes.ERR_INVALID_URL(...args)), args);
}
// Simple message codes: every code both sides define, with string args.
const simple = ['ERR_ARG_NOT_ITERABLE', 'ERR_ASYNC_CALLBACK', 'ERR_BUFFER_OUT_OF_BOUNDS',
  'ERR_BUFFER_TOO_LARGE', 'ERR_DIR_CLOSED', 'ERR_ENCODING_NOT_SUPPORTED', 'ERR_EVENT_RECURSION',
  'ERR_FS_FILE_TOO_LARGE', 'ERR_FS_INVALID_SYMLINK_TYPE', 'ERR_HTTP_HEADERS_SENT',
  'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_HTTP_INVALID_STATUS_CODE', 'ERR_ILLEGAL_CONSTRUCTOR',
  'ERR_INCOMPATIBLE_OPTION_PAIR', 'ERR_INVALID_CHAR', 'ERR_INVALID_FD', 'ERR_INVALID_FD_TYPE',
  'ERR_INVALID_FILE_URL_HOST', 'ERR_INVALID_FILE_URL_PATH', 'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_IP_ADDRESS', 'ERR_INVALID_PROTOCOL', 'ERR_INVALID_STATE', 'ERR_INVALID_THIS',
  'ERR_INVALID_TUPLE', 'ERR_INVALID_URI', 'ERR_INVALID_URL_SCHEME', 'ERR_METHOD_NOT_IMPLEMENTED',
  'ERR_MISSING_OPTION', 'ERR_MULTIPLE_CALLBACK', 'ERR_OPERATION_FAILED',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
  'ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_ALREADY_FINISHED',
  'ERR_STREAM_CANNOT_PIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_NULL_VALUES',
  'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_PUSH_AFTER_EOF', 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT',
  'ERR_STREAM_WRAP', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_UNKNOWN_BUILTIN_MODULE',
  'ERR_UNKNOWN_ENCODING', 'ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNKNOWN_SIGNAL', 'ERR_USE_AFTER_CLOSE',
  'ERR_UNESCAPED_CHARACTERS', 'ERR_INVALID_RETURN_VALUE', 'ERR_INVALID_RETURN_PROPERTY_VALUE',
  'ERR_FALSY_VALUE_REJECTION', 'ERR_INVALID_PACKAGE_CONFIG', 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  'ERR_PACKAGE_IMPORT_NOT_DEFINED', 'ERR_REQUIRE_ESM', 'ERR_MODULE_NOT_FOUND',
  'ERR_UNSUPPORTED_DIR_IMPORT', 'ERR_INVALID_MODULE_SPECIFIER', 'ERR_ENCODING_INVALID_ENCODED_DATA',
  'ERR_INVALID_ADDRESS_FAMILY', 'ERR_INVALID_ASYNC_ID', 'ERR_CRYPTO_INVALID_DIGEST',
  'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'ERR_CONSOLE_WRITABLE_STREAM', 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER',
  'ERR_SERVER_NOT_RUNNING', 'ERR_SERVER_ALREADY_LISTEN', 'ERR_UNAVAILABLE_DURING_EXIT',
  'ERR_ASSERTION', 'ERR_AMBIGUOUS_ARGUMENT', 'ERR_INVALID_MIME_SYNTAX', 'ERR_UNKNOWN_MODULE_FORMAT'];
const argSets = [[], ['A'], ['A', 'B'], ['A', 'B', 'C'], ['A', 'B', 'C', 'D'], ['fn', 'hook', 42],
  ['x', 'y', -1]];
for (const code of simple) {
  for (const args of argSets) {
    // Node asserts the argument count; compare only the counts Node accepts.
    const real = t.ref('internal/errors');
    if (real) {
      try { new real.codes[code](...args); } catch { continue; }
    }
    t.diff(`${code}(${args.length})`, 'internal/errors', (m) => describe(new m.codes[code](...args)), args);
  }
}
for (const code of ['ERR_FS_EISDIR', 'ERR_FS_CP_EEXIST', 'ERR_SYSTEM_ERROR', 'ERR_FS_CP_EINVAL']) {
  for (const ctx of [{ code: 'EISDIR', message: 'is a directory', path: '/x', syscall: 'rm', errno: 21 },
    { code: 'EEXIST', message: 'file exists', path: '/a', dest: '/b', syscall: 'cp', errno: 17 },
    { code: 'EINVAL', message: 'bad', syscall: 'cp', errno: 22 }]) {
    t.diff(code, 'internal/errors', (m) => {
      const e = new m.codes[code]({ ...ctx });
      return { ...describe(e), errno: e.errno, syscall: e.syscall, path: e.path, dest: e.dest, info: e.info };
    }, ctx);
  }
}
for (const ctx of [{ errno: -2, syscall: 'open', path: 'x' }, { errno: -2, code: 'ENOENT', syscall: 'open', path: 'x' },
  { errno: -13, syscall: 'rename', path: 'a', dest: 'b' }, { errno: -17, syscall: 'mkdir', path: '/tmp' },
  { errno: -39, syscall: 'rmdir', path: 'd', message: 'custom' }, { errno: -9, syscall: 'close' },
  { errno: -99999, syscall: 'weird', path: 'p' }, { errno: -20, syscall: 'scandir', path: Buffer.from('buf') },
  { errno: -4095, syscall: 'read' }, { errno: -21, syscall: 'read', path: 'dir' }]) {
  t.diff('UVException', 'internal/errors', (m) => describe(new m.UVException({ ...ctx })), ctx);
}
for (const args of [[-2, 'open'], [-2, 'open', 'extra'], [-111, 'connect'], [-13, 'bind', 'x']]) {
  t.diff('ErrnoException', 'internal/errors', (m) => describe(new m.ErrnoException(...args)), args);
}
for (const args of [[-111, 'connect', '127.0.0.1', 80], [-98, 'listen', '::', 8080], [-111, 'connect', '10.0.0.1', 0],
  [-111, 'connect', '127.0.0.1', 80, '127.0.0.1:5000'], [-13, 'listen', '/tmp/sock']]) {
  t.diff('ExceptionWithHostPort', 'internal/errors', (m) => describe(new m.ExceptionWithHostPort(...args)), args);
  t.diff('UVExceptionWithHostPort', 'internal/errors', (m) => describe(new m.UVExceptionWithHostPort(...args.slice(0, 4))), args);
}
for (const args of [[], ['custom'], ['m', { cause: 1 }], ['m', { cause: new Error('c') }], ['m', 'bad'], ['m', null]]) {
  t.diff('AbortError', 'internal/errors', (m) => {
    const e = new m.AbortError(...args);
    return { ...describe(e), cause: e.cause, hasCause: 'cause' in e };
  }, args);
}
// The errno map matches libuv's on this machine.
const { getSystemErrorMap } = require('util');
const mine = t.lib('internal/errors').getSystemErrorMap();
for (const [errno, [name, desc]] of getSystemErrorMap()) {
  t.same(`errmap ${name}`, mine.get(errno), [name, desc], errno);
}
t.same('errmap size', mine.size, getSystemErrorMap().size);

// gnode-only helpers (no Node counterpart with the same name).
const ge = t.lib('internal/errors');
t.same('uvException is UVException', t.show(ge.uvException({ errno: -2, syscall: 'open', path: 'p' })),
  t.show(ge.UVException({ errno: -2, syscall: 'open', path: 'p' })));
t.same('errnoByCode', [ge.errnoByCode('ENOENT'), ge.errnoByCode('EEXIST'), ge.errnoByCode('NOPE')], [-2, -17, undefined]);
t.same('errnoName', [ge.errnoName(-2), ge.errnoName(-12345)], ['ENOENT', 'Unknown system error -12345']);
t.ok('hideStackFrames returns fn', ge.hideStackFrames(Math.max) === Math.max);
t.same('uvException code without errno', ge.uvException({ code: 'EISDIR', syscall: 'read' }).message,
  'EISDIR: illegal operation on a directory, read');
t.ok('kIsNodeError on codes', new ge.codes.ERR_INVALID_ARG_TYPE('a', 'string', 1)[ge.kIsNodeError] === true);
