// Deep equality of WHATWG URLs: compared by href (their state is a private field).
const util = require('util'); const assert = require('assert');
const a = new URL('http://a/x'), b = new URL('http://b/x'), a2 = new URL('http://a/x');
console.log(util.isDeepStrictEqual(a, b), util.isDeepStrictEqual(a, a2), util.isDeepStrictEqual(a, {href: 'http://a/x'}));
for (const [x, y] of [[a, b], [a, a2]]) {
  try { assert.deepStrictEqual(x, y); console.log('strict equal'); } catch (e) { console.log('strict', e.code); }
  try { assert.deepEqual(x, y); console.log('loose equal'); } catch (e) { console.log('loose', e.code); }
}
a2.hash = 'h'; console.log(util.isDeepStrictEqual(a, a2));
