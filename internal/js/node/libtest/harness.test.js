'use strict';
// Self-test of the harness and of t.js's serializer.
const t = require('./t.js');

t.same('show primitives', t.show([1, -0, 'a', 2n, undefined, null, true]),
  '[1, -0, "a", 2n, undefined, null, true]');
t.same('show error', t.show(Object.assign(new TypeError('m'), { code: 'X' })),
  'TypeError[X]("m", {code: "X"})');
const cyc = { a: 1 };
cyc.self = cyc;
t.same('show circular', t.show(cyc), '{"a": 1, "self": [circular]}');
t.same('show null proto', t.show(Object.create(null)), '[null]{}');

if (!t.gnode) {
  const h = require('./harness.js');
  let err = null;
  try {
    h.loadLib('internal/does_not_exist');
  } catch (e) {
    err = e;
  }
  t.ok('missing internal lib throws MODULE_NOT_FOUND', err && err.code === 'MODULE_NOT_FOUND', err);
  t.ok('lib ids accept node: prefix', h.loadLib('node:path') === h.loadLib('path'));
  t.ok('missing shim names the file', (() => {
    try { h.internalBinding('no_such_binding'); } catch (e) { return /shims\/no_such_binding\.js/.test(e.message); }
    return false;
  })());
}
