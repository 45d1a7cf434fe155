'use strict';
// Shim of internalBinding('url') over real Node (see lib/bindings/url.md).
// The binding is gnode's Go URL parser (internal/js/whatwgurl). Under node
// the shim declines every input (undefined), so lib/internal/url.js runs
// its JavaScript parser and setters and the differential tests check
// those; the Go parser is checked against node by its own differential
// test and, through the binding, by replaying these tests under gnode.

module.exports = {
  parse() { return undefined; },
  canParse() { return undefined; },
  set() { return undefined; },
  parseQuery() { return undefined; },
  serializeQuery() { return undefined; },
};
