'use strict';
// internalBinding('crypto') (lib/bindings/crypto.md) over real Node's
// crypto, so lib/crypto.js can be tested differentially under node.

const nodeCrypto = require('crypto');

const u8 = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

// withCb runs f inline, or calls cb(err, result) asynchronously.
function withCb(args, f) {
  const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
  if (cb === null) return f(...args);
  let res;
  let err = null;
  try { res = f(...args); } catch (e) { err = e; }
  setImmediate(() => (err ? cb(err) : cb(null, res)));
  return undefined;
}

class Handle { constructor(v) { this.v = v; } }

const hashNames = nodeCrypto.getHashes();

function hashNew(alg, outputLength) {
  try {
    return new Handle(nodeCrypto.createHash(alg, outputLength === undefined ? undefined : { outputLength }));
  } catch {
    return undefined;
  }
}

function keyHandle(k) { return new Handle(k); }

module.exports = {
  hashNames,
  hashNew,
  hmacNew(alg, key) {
    try { return new Handle(nodeCrypto.createHmac(alg, buf(key))); } catch { return undefined; }
  },
  hashUpdate(h, b) { h.v.update(b); },
  hashDigest(h, enc) { return enc === undefined ? u8(h.v.digest()) : h.v.digest(enc); },
  hashCopy(h, outputLength) { return new Handle(h.v.copy(outputLength === undefined ? undefined : { outputLength })); },
  digest(...args) {
    return withCb(args, (alg, data) => {
      const h = hashNew(alg);
      if (h === undefined) throw new Error('Digest method not supported');
      return u8(h.v.update(data).digest());
    });
  },
  hmac(...args) { return withCb(args, (alg, key, data) => u8(nodeCrypto.createHmac(alg, buf(key)).update(data).digest())); },
  timingSafeEqual(a, b) { return nodeCrypto.timingSafeEqual(a, b); },
  randomFill(...args) { return withCb(args, (view) => { nodeCrypto.randomFillSync(view); }); },
  pbkdf2(...args) { return withCb(args, (p, s, i, n, d) => u8(nodeCrypto.pbkdf2Sync(buf(p), buf(s), i, n, d))); },
  scrypt(...args) {
    return withCb(args, (p, s, n, N, r, par, maxmem) => u8(nodeCrypto.scryptSync(buf(p), buf(s), n, { N, r, p: par, maxmem })));
  },
  hkdf(...args) { return withCb(args, (d, ikm, salt, info, n) => new Uint8Array(nodeCrypto.hkdfSync(d, buf(ikm), buf(salt), buf(info), n))); },

  cipherNew(name, key, iv, decrypt, tagLen) {
    const aead = name.endsWith('gcm') || name === 'chacha20-poly1305';
    const opts = aead ? { authTagLength: tagLen } : undefined;
    const ivArg = name.endsWith('ecb') ? null : buf(iv);
    return new Handle(decrypt ? nodeCrypto.createDecipheriv(name, buf(key), ivArg, opts) : nodeCrypto.createCipheriv(name, buf(key), ivArg, opts));
  },
  cipherUpdate(h, b) { return u8(h.v.update(b)); },
  cipherFinal(h) { return u8(h.v.final()); },
  cipherSetAAD(h, b) { h.v.setAAD(b); },
  cipherSetAutoPadding(h, on) { h.v.setAutoPadding(on); },
  cipherGetAuthTag(h) { return u8(h.v.getAuthTag()); },
  cipherSetAuthTag(h, t) { h.v.setAuthTag(t); },

  keyParse(bytes, format, type, kind, passphrase) {
    const opts = { key: buf(bytes), format };
    if (passphrase !== undefined) opts.passphrase = buf(passphrase);
    if (format === 'der') opts.type = type === 'pkcs1-private' ? 'pkcs1' : type;
    return keyHandle(kind === 'private' ? nodeCrypto.createPrivateKey(opts) : nodeCrypto.createPublicKey(opts));
  },
  keyFromJWK(jwk, kind) {
    return keyHandle(kind === 'private' ? nodeCrypto.createPrivateKey({ key: jwk, format: 'jwk' }) : nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' }));
  },
  keyInfo(h) {
    const k = h.v;
    const d = k.asymmetricKeyDetails || {};
    return [k.type, k.asymmetricKeyType, d.modulusLength || 0, d.publicExponent !== undefined ? d.publicExponent.toString(16) : '', d.namedCurve || ''];
  },
  keyPublic(h) { return keyHandle(nodeCrypto.createPublicKey(h.v)); },
  keyExport(h, format, type, cipher, passphrase) {
    const opts = { format, type: type === 'pkcs1-public' ? 'pkcs1' : type };
    if (cipher !== undefined) Object.assign(opts, { cipher, passphrase: buf(passphrase) });
    const out = h.v.export(opts);
    return format === 'pem' ? out : u8(out);
  },
  keyToJWK(h) { return h.v.export({ format: 'jwk' }); },
  keyEquals(a, b) { return b instanceof Handle && a.v.equals(b.v); },
  sign(h, digest, data, padding, saltLength, dsaEncoding) {
    return u8(nodeCrypto.sign(digest || (h.v.asymmetricKeyType === 'ed25519' ? null : 'sha256'), data, { key: h.v, padding, saltLength, dsaEncoding }));
  },
  verify(h, digest, data, sig, padding, saltLength, dsaEncoding) {
    return nodeCrypto.verify(digest || (h.v.asymmetricKeyType === 'ed25519' ? null : 'sha256'), data, { key: h.v, padding, saltLength, dsaEncoding }, sig);
  },
  rsaCrypt(h, op, data, padding, oaepHash, label) {
    const opts = { key: h.v, padding };
    if (padding === 4) { opts.oaepHash = oaepHash; if (label.length) opts.oaepLabel = buf(label); }
    return u8(nodeCrypto[op](opts, buf(data)));
  },
  ecdhNew(curve) { try { return new Handle(nodeCrypto.createECDH(curve)); } catch { return undefined; } },
  ecdhGenerate(h) { h.v.generateKeys(); h.has = true; },
  ecdhPublic(h, compressed) { try { return u8(h.v.getPublicKey(null, compressed ? 'compressed' : 'uncompressed')); } catch { return undefined; } },
  ecdhPrivate(h) { try { return u8(h.v.getPrivateKey()); } catch { return undefined; } },
  ecdhSetPrivate(h, b) { h.v.setPrivateKey(buf(b)); },
  ecdhCompute(h, pub) { return u8(h.v.computeSecret(buf(pub))); },
  ecdhConvert(curve, point, compressed) { return u8(nodeCrypto.ECDH.convertKey(buf(point), curve, null, null, compressed ? 'compressed' : 'uncompressed')); },
  keyDH(a, b) { return u8(nodeCrypto.diffieHellman({ privateKey: a.v, publicKey: b.v })); },
  keyGenerate(...args) {
    return withCb(args, (type, modulusLength, publicExponent, namedCurve) => {
      const opts = type === 'rsa' ? { modulusLength, publicExponent } : type === 'ec' ? { namedCurve } : {};
      const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync(type, opts);
      return [keyHandle(privateKey), keyHandle(publicKey)];
    });
  },
};
