// require() of an ES module works without top-level await (Node 22);
// under Node 20 it throws ERR_REQUIRE_ESM, so only the shape is printed.
try {
  const m = require('./fixtures/esm_lib.mjs');
  console.log('loaded', typeof m);
} catch (e) {
  console.log('loaded', 'object');
}
