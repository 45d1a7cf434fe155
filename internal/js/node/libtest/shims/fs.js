'use strict';
// Shim of internalBinding('fs') over real Node (see lib/bindings/fs.md).
// The stream modules ask the fs binding only for cloneShaped, which copies
// a template object inside the engine (one allocation instead of a
// property addition per field). Under node there is no such engine: the
// shim answers undefined, so the streams build their states and pipe
// bookkeeping field by field, and the differential tests check that path
// (the cloned path runs in every gnode test of streams and fs). Any other
// member is refused as a missing shim would be, so lib/fs.js itself still
// fails to load here and its callers take their fallbacks.
module.exports = new Proxy({}, {
  get(target, key) {
    if (key === 'cloneShaped') return undefined;
    // Read by tests that need a whole fs binding (assert's source
    // messages) to know this one is not.
    if (key === 'libtestPartial') return true;
    throw new Error(`libtest: the fs shim offers only cloneShaped (asked for ${String(key)}; see lib/bindings/fs.md)`);
  },
});
