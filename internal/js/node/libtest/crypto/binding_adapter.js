'use strict';
// The hash part of internalBinding('crypto') as lib/crypto.js now uses it
// (lib/bindings/crypto.md), laid over ../shims/crypto.js, whose hash
// functions predate it: hash objects are made with a prototype
// (Hash.prototype), the binding keeps the finalized flag, and hashOnce is
// crypto.hash() in one call; hashMethods gives lib/crypto.js's own
// JavaScript methods back. Loaded by crypto.test.js before lib/crypto.js
// when the file runs under node's harness; the shim's other functions are
// left as they are.

const shim = require('../shims/crypto.js');

if (!shim.hashOnce) {
  const { hashNew, hmacNew, hashUpdate, hashDigest, hashCopy } = shim;
  const handles = new WeakMap(); // hash object → { h: shim handle, done }
  const wrap = (h, proto) => {
    if (h === undefined) return undefined;
    const o = Object.create(proto && typeof proto === 'object' ? proto : Object.prototype);
    handles.set(o, { h, done: false });
    return o;
  };
  const state = (o) => {
    const s = handles.get(o);
    if (s === undefined) throw new TypeError('not a hash handle');
    return s;
  };
  const stringDigests = new Set(['hex', 'base64', 'base64url', 'latin1', 'binary']);
  const bytes = (v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
  Object.assign(shim, {
    hashNew: (alg, outputLength, proto) => wrap(hashNew(alg, outputLength), proto),
    hmacNew: (alg, key, proto) => wrap(hmacNew(alg, bytes(key)), proto),
    hashUpdate(o, data) {
      const s = state(o);
      if (s.done) return false;
      hashUpdate(s.h, bytes(data));
      return true;
    },
    hashDigest(o, enc) {
      const s = state(o);
      if (s.done) return undefined;
      s.done = true;
      return hashDigest(s.h, stringDigests.has(enc) ? enc : undefined);
    },
    hashCopy(o, outputLength, proto) {
      const s = state(o);
      return s.done ? null : wrap(hashCopy(s.h, outputLength), proto);
    },
    // The native fast paths are the binding's own: under the shim every
    // call takes lib/crypto.js's JavaScript versions.
    hashMethods(hashProto, hmacProto, slow) {
      return { createHash: slow.createHash, createHmac: slow.createHmac, update: slow.update, digest: slow.digest, hmacDigest: slow.hmacDigest };
    },
    hashOnce(alg, data, enc) {
      const h = hashNew(alg);
      if (h === undefined) return undefined;
      hashUpdate(h, bytes(data));
      return hashDigest(h, stringDigests.has(enc) ? enc : undefined);
    },
  });
}
