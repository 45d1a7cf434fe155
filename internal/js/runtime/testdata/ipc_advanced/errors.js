'use strict';
// What send() does with values the V8 serializer refuses, and fork's
// check of the serialization option.
const { fork } = require('child_process');

const c = fork(__dirname + '/echo.js', [], { serialization: 'advanced', execPath: process.env.IPC_CHILD_EXEC || process.execPath });
for (const v of [{ f() {} }, Symbol('s'), 5n, new WeakMap(), { p: Promise.resolve() }]) {
  try {
    console.log('sent', c.send(v));
  } catch (e) {
    console.log('threw', e.name, e.message, e.code);
  }
}
c.send({ ok: new Set([1]) }, () => c.disconnect());
try {
  fork(__dirname + '/echo.js', [], { serialization: 'bogus' });
} catch (e) {
  console.log(e.code, e.message);
}
