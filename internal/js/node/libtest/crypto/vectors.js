'use strict';
// Differential vectors for node:crypto, run unchanged under node and under
// gnode by vectors_test.go, which compares the two outputs line by line.
//
//   vectors.js print            deterministic results, one "label\tvalue" a line
//   vectors.js gen DIR KEYDIR   randomised outputs (ECDSA/PSS signatures, random
//                               ciphertexts, generated keys) written to DIR
//   vectors.js check DIR KEYDIR verifies/decrypts what the other runtime wrote
//
// KEYDIR holds PEM keys made by openssl/node (rsa.pem, ec256.pem, ec384.pem,
// ed25519.pem and their *.pub.pem) so deterministic signatures (PKCS#1 v1.5,
// Ed25519) can be compared byte for byte.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (a) => a[Math.floor(next() * a.length)];
  next.bytes = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = next.int(256);
    return b;
  };
  return next;
}

const out = [];
function line(label, value) { out.push(`${label}\t${value}`); }
function show(v) {
  if (Buffer.isBuffer(v)) return `buf:${v.toString('hex')}`;
  if (v instanceof ArrayBuffer) return `ab:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'string') return `str:${JSON.stringify(v)}`;
  if (v instanceof Error) return `err:${v.name}|${v.code}|${v.message}`;
  return `${typeof v}:${JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`;
}
function tryShow(f) {
  try { return show(f()); } catch (e) { return show(e); }
}
function chunks(r, buf) {
  const parts = [];
  let i = 0;
  while (i < buf.length) {
    const n = 1 + r.int(Math.max(1, buf.length));
    parts.push(buf.subarray(i, i + n));
    i += n;
  }
  return parts;
}

function printHashes(r) {
  const algs = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256',
    'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'ripemd160', 'shake128', 'shake256',
    'RSA-SHA256', 'SHA256', 'sha-256', 'SHA512', 'RSA-SHA1', 'sha256WithRSAEncryption'];
  const encs = ['hex', 'base64', 'base64url', 'latin1', 'buffer', undefined, 'binary', 'ucs2'];
  for (const alg of algs) {
    for (let i = 0; i < 12; i++) {
      const data = r.bytes(r.pick([0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 5000]));
      const parts = chunks(r, data);
      const enc = r.pick(encs);
      line(`hash ${alg} ${data.length} ${parts.length} ${enc}`, tryShow(() => {
        const h = crypto.createHash(alg);
        for (const p of parts) h.update(p);
        return h.digest(enc);
      }));
    }
    line(`hash ${alg} copy`, tryShow(() => {
      const h = crypto.createHash(alg).update('abc');
      const c = h.copy().update('def');
      return [h.digest('hex'), c.digest('hex')].join(',');
    }));
    line(`hash ${alg} string`, tryShow(() => crypto.createHash(alg).update('héllo wörld €', 'utf8').update('aGk=', 'base64').update('ff00', 'hex').digest('hex')));
  }
  for (const n of [0, 1, 7, 32, 100]) {
    line(`shake256 outputLength ${n}`, tryShow(() => crypto.createHash('shake256', { outputLength: n }).update('x').digest('hex')));
    line(`shake128 copy outputLength ${n}`, tryShow(() => crypto.createHash('shake128').update('x').copy({ outputLength: n }).digest('hex')));
  }
  for (const bad of ['nope', 'sha', '', 'md4x']) line(`hash bad ${bad}`, tryShow(() => crypto.createHash(bad)));
  line('hash non-string', tryShow(() => crypto.createHash(1)));
  line('hash update number', tryShow(() => crypto.createHash('sha1').update(1)));
  line('hash digest twice', tryShow(() => { const h = crypto.createHash('sha1'); h.digest(); return h.digest(); }));
  line('hash update after digest', tryShow(() => { const h = crypto.createHash('sha1'); h.digest(); return h.update('x'); }));
  line('hash copy after digest', tryShow(() => { const h = crypto.createHash('sha1'); h.digest(); return h.copy(); }));
  line('hash typed arrays', tryShow(() => crypto.createHash('sha256').update(new Uint16Array([1, 2, 3])).update(new DataView(new ArrayBuffer(3))).digest('hex')));
  line('hash lone surrogates', tryShow(() => ['a\ud800b', '\udc00', '😀\udc00x', '\ud83d'].map((x) => crypto.createHash('sha1').update(x).digest('hex'))));
  line('hmac lone surrogates', tryShow(() => crypto.createHmac('sha1', 'k\ud800').update('\udfff').digest('base64url')));
  line('hash unknown encoding', tryShow(() => crypto.createHash('sha256').digest('nope')));
}

// printHashPaths covers the ways a string or a digest crosses the binding:
// ASCII strings are read in place, Latin-1 and two-byte strings (and
// ropes) are encoded to UTF-8, digests come back as strings or Buffers.
function printHashPaths() {
  const r = rng(3); // its own sequence: the labels after it stay as they were
  const strings = ['', 'abc', 'caf\u00e9 \u00ff', '\u20ac uro', '\ud83d\ude00 x', 'a\ud800b', '\udfff',
    'x'.repeat(5000) + '\u00e9', 'y'.repeat(3000) + '\u20ac', ['rope', ' of ', 'parts ', String(r.int(1e6))].join('') + 'z'.repeat(100)];
  const digests = [undefined, 'hex', 'base64', 'base64url', 'latin1', 'binary', 'buffer', 'HEX', 'utf8', 'ucs2', 'nope'];
  for (const [i, s] of strings.entries()) {
    for (const alg of ['md5', 'sha1', 'sha256', 'sha512', 'RSA-SHA256', 'SHA384']) {
      const enc = r.pick(digests);
      line(`hashpath ${alg} string ${i} ${enc}`, tryShow(() => crypto.createHash(alg).update(s).digest(enc)));
    }
    for (const upd of ['utf8', 'utf-8', 'latin1', 'ascii', 'ucs2', 'hex', 'base64', 'buffer', 'bogus']) {
      line(`hashpath update ${i} ${upd}`, tryShow(() => crypto.createHash('sha1').update(s, upd).digest('hex')));
    }
    line(`hashpath hmac key ${i}`, tryShow(() => crypto.createHmac('sha256', s).update(s).digest('base64url')));
    for (const enc of ['hex', 'latin1', 'base64', 'utf8', 'bogus']) {
      line(`hashpath hmac key ${i} encoding ${enc}`, tryShow(() => crypto.createHmac('sha1', s, { encoding: enc }).update('m').digest('hex')));
    }
  }
  const isBuf = (b) => [Buffer.isBuffer(b), b.constructor.name, b instanceof Uint8Array, b.length, b.toString('hex'), b.slice(1, 3).toString('hex')];
  line('hashpath digest() is a Buffer', tryShow(() => isBuf(crypto.createHash('sha1').update('a').digest())));
  line('hashpath digest(buffer) is a Buffer', tryShow(() => isBuf(crypto.createHash('md5').update('a').digest('buffer'))));
  line('hashpath hmac digest() is a Buffer', tryShow(() => isBuf(crypto.createHmac('md5', 'k').update('a').digest())));
  line('hashpath hmac second digest', tryShow(() => { const h = crypto.createHmac('md5', 'k'); h.digest(); return [isBuf(h.digest()), h.digest('hex')]; }));
  line('hashpath instanceof', tryShow(() => {
    const h = crypto.createHash('sha1');
    const m = crypto.createHmac('sha1', 'k');
    return [h instanceof crypto.Hash, m instanceof crypto.Hmac, Object.getPrototypeOf(h) === crypto.Hash.prototype,
      Object.getPrototypeOf(m) === crypto.Hmac.prototype, crypto.Hash('md5') instanceof crypto.Hash, new crypto.Hash('md5').update('q').digest('hex'),
      crypto.Hmac('md5', 'k').update('q').digest('hex'), typeof h.pipe, h.copy() instanceof crypto.Hash];
  }));
  line('hashpath subclass', tryShow(() => {
    class H extends crypto.Hash { hexOf(s) { return this.update(s).digest('hex'); } }
    const h = new H('sha256');
    return [h instanceof H, h instanceof crypto.Hash, h.hexOf('abc')];
  }));
  line('hashpath update after digest bad type', tryShow(() => { const h = crypto.createHash('sha1'); h.digest(); return h.update(5); }));
  line('hashpath update after digest odd hex', tryShow(() => { const h = crypto.createHash('sha1'); h.digest(); return h.update('abc', 'hex'); }));
  line('hashpath update odd hex', tryShow(() => crypto.createHash('sha1').update('abc', 'hex')));
  line('hashpath copy then digest both', tryShow(() => { const h = crypto.createHash('sha256').update('a'); const c = h.copy(); h.update('b'); return [h.digest('hex'), c.digest('hex')]; }));
  line('hashpath copy after digest', tryShow(() => { const h = crypto.createHash('sha256'); h.digest(); return h.copy(); }));
  // The message is the engine's (V8 names a missing property); the kind is Node's.
  for (const [name, d, e] of [['str utf8', 'caf\u00e9', 'utf8'], ['str utf-8', '\u20ac', 'utf-8'], ['str UTF8', 'ab', 'UTF8'], ['lone utf8', '\ud800', 'utf8'],
    ['view hex', Buffer.from('ab'), 'hex'], ['view number', new Uint8Array([1, 2]), 5], ['str number', 'ab', 5], ['str null', 'ab', null]]) {
    line(`hashpath update encoding ${name}`, tryShow(() => crypto.createHash('sha1').update(d, e).digest('hex')));
  }
  line('hashpath update ArrayBuffer', tryShow(() => crypto.createHash('sha1').update(new ArrayBuffer(3)).digest('hex')));
  line('hashpath update explicit undefined encoding', tryShow(() => crypto.createHash('sha1').update('x', undefined).digest('hex')));
  line('hashpath update Buffer slice', tryShow(() => crypto.createHash('sha1').update(Buffer.from('hello world').subarray(3, 8)).digest('hex')));
  line('hashpath update Float64Array', tryShow(() => crypto.createHash('sha1').update(new Float64Array([1.5, -2])).digest('hex')));
  line('hashpath createHash undefined options', tryShow(() => crypto.createHash('md5', undefined).update('a').digest('hex')));
  line('hashpath createHash null options', tryShow(() => crypto.createHash('md5', null).update('a').digest('hex')));
  line('hashpath createHash number', tryShow(() => crypto.createHash(5)));
  let calls = 0;
  line('hashpath createHash object alg', tryShow(() => crypto.createHash({ toString() { calls++; return 'md5'; } })));
  line('hashpath createHash object alg toString calls', calls);
  const keyAB = () => new Uint8Array([0x6b, 0x65, 0x79, 0x21]).buffer;
  for (const [name, key] of [['DataView', new DataView(keyAB(), 1, 2)], ['ArrayBuffer', keyAB()],
    ['Uint16Array', new Uint16Array([0x6b65, 0x79])], ['KeyObject', crypto.createSecretKey(Buffer.from('key'))], ['number', 5], ['null', null]]) {
    line(`hashpath hmac key ${name}`, tryShow(() => crypto.createHmac('sha256', key).update('m').digest('hex')));
  }
  line('hashpath hmac bad alg', tryShow(() => crypto.createHmac('sha0', 'k')));
  line('hashpath hmac options', tryShow(() => crypto.createHmac('md5', 'k', {}).update('x').digest('base64')));
  line('hashpath digest buffer after update Uint8Array', tryShow(() => isBuf(crypto.createHash('sha512').update(new Uint8Array([1, 2, 3])).digest('buffer'))));
  line('hashpath update on wrong this', tryShow(() => { try { crypto.Hash.prototype.update.call({}, 'x'); return 'no error'; } catch (e) { return e.name; } }));
  if (typeof crypto.hash === 'function') {
    for (const alg of ['md5', 'sha1', 'SHA256', 'sha512', 'sha3-256', 'shake256', 'RSA-SHA1', 'sha-256', 'nope', '']) {
      for (const enc of [undefined, 'hex', 'base64', 'base64url', 'latin1', 'binary', 'buffer', 'BUFFER', 'Base64', 'ucs2', 'utf8', 'bogus', 1, null]) {
        line(`hashpath hash() ${alg} ${enc}`, tryShow(() => crypto.hash(alg, strings[r.int(strings.length)], enc)));
      }
    }
    for (const input of [Buffer.from('buf'), new Uint16Array([1, 2]), new DataView(new ArrayBuffer(4)), 5, null, {}]) {
      line(`hashpath hash() input ${Object.prototype.toString.call(input)}`, tryShow(() => crypto.hash('sha1', input)));
    }
    line('hashpath hash() bad algorithm type', tryShow(() => crypto.hash(5, 'x')));
  }
}

function printHmac(r) {
  const algs = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha512-256', 'ripemd160'];
  for (const alg of algs) {
    for (let i = 0; i < 10; i++) {
      const key = r.bytes(r.pick([0, 1, 16, 64, 65, 128, 129, 200]));
      const data = r.bytes(r.pick([0, 3, 64, 300]));
      const enc = r.pick(['hex', 'base64', undefined, 'latin1']);
      line(`hmac ${alg} ${key.length} ${data.length} ${enc}`, tryShow(() => {
        const h = crypto.createHmac(alg, key);
        for (const p of chunks(r, data)) h.update(p);
        return h.digest(enc);
      }));
    }
  }
  line('hmac string key', tryShow(() => crypto.createHmac('sha256', 'sécret').update('x').digest('hex')));
  line('hmac KeyObject', tryShow(() => crypto.createHmac('sha256', crypto.createSecretKey(Buffer.from('k'))).update('x').digest('hex')));
  line('hmac bad', tryShow(() => crypto.createHmac('nope', 'k')));
  line('hmac digest twice', tryShow(() => { const h = crypto.createHmac('sha1', 'k'); h.digest(); return h.digest('hex'); }));
  line('hmac update after', tryShow(() => { const h = crypto.createHmac('sha1', 'k'); h.digest(); return h.update('x'); }));
  line('hmac bad key type', tryShow(() => crypto.createHmac('sha1', 5)));
}

function printKdf(r) {
  for (const digest of ['sha1', 'sha256', 'sha512', 'md5', 'sha3-256']) {
    for (let i = 0; i < 4; i++) {
      const pw = r.bytes(r.int(40));
      const salt = r.bytes(r.int(20));
      const iter = 1 + r.int(50);
      const len = r.pick([0, 1, 16, 20, 32, 64, 100]);
      line(`pbkdf2 ${digest} ${iter} ${len}`, tryShow(() => crypto.pbkdf2Sync(pw, salt, iter, len, digest)));
      const info = r.bytes(r.int(30));
      const hl = r.pick([0, 1, 16, 32, 64, 100]);
      line(`hkdf ${digest} ${hl}`, tryShow(() => crypto.hkdfSync(digest, pw, salt, info, hl)));
    }
  }
  line('pbkdf2 string', tryShow(() => crypto.pbkdf2Sync('password', 'salt', 2, 20, 'sha1')));
  line('pbkdf2 bad digest', tryShow(() => crypto.pbkdf2Sync('a', 'b', 1, 10, 'nope')));
  line('pbkdf2 no digest', tryShow(() => crypto.pbkdf2Sync('a', 'b', 1, 10)));
  line('pbkdf2 iter 0', tryShow(() => crypto.pbkdf2Sync('a', 'b', 0, 10, 'sha1')));
  line('pbkdf2 keylen -1', tryShow(() => crypto.pbkdf2Sync('a', 'b', 1, -1, 'sha1')));
  line('pbkdf2 keylen str', tryShow(() => crypto.pbkdf2Sync('a', 'b', 1, '1', 'sha1')));
  line('pbkdf2 pw number', tryShow(() => crypto.pbkdf2Sync(1, 'b', 1, 1, 'sha1')));
  for (const [N, rr, p, len] of [[16, 1, 1, 64], [1024, 8, 1, 32], [256, 2, 3, 16], [2, 1, 1, 10], [16, 1, 1, 0]]) {
    line(`scrypt ${N} ${rr} ${p} ${len}`, tryShow(() => crypto.scryptSync('pw', 'salt', len, { N, r: rr, p })));
  }
  line('scrypt default', tryShow(() => crypto.scryptSync('password', 'NaCl', 32)));
  line('scrypt cost alias', tryShow(() => crypto.scryptSync('pw', 's', 8, { cost: 32, blockSize: 2, parallelization: 1 })));
  line('scrypt bad N', tryShow(() => crypto.scryptSync('pw', 's', 8, { N: 3 })));
  line('scrypt N and cost', tryShow(() => crypto.scryptSync('pw', 's', 8, { N: 16, cost: 16 })));
  line('hkdf bad digest', tryShow(() => crypto.hkdfSync('nope', 'a', 'b', 'c', 10)));
  line('hkdf too long', tryShow(() => crypto.hkdfSync('sha256', 'a', 'b', 'c', 255 * 32 + 1)));
  line('hkdf max', tryShow(() => Buffer.from(crypto.hkdfSync('sha256', 'a', 'b', 'c', 255 * 32)).length));
}

function printCiphers(r) {
  const names = ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-ctr', 'aes-256-ctr', 'aes-128-gcm',
    'aes-192-gcm', 'aes-256-gcm', 'chacha20-poly1305', 'aes-128-ecb', 'aes-256-ecb', 'AES-256-CBC', 'aes256'];
  for (const name of names) {
    const info = crypto.getCipherInfo(name);
    for (let i = 0; i < 10; i++) {
      const key = r.bytes(info.keyLength);
      const iv = info.ivLength ? r.bytes(name.includes('gcm') && r() < 0.3 ? r.pick([8, 16, 24]) : info.ivLength) : null;
      const pt = r.bytes(r.pick([0, 1, 15, 16, 17, 31, 32, 33, 100, 1000]));
      const aead = name.includes('gcm') || name.includes('poly');
      const aad = aead && r() < 0.6 ? r.bytes(r.int(40)) : null;
      const pad = r() < 0.8;
      const outEnc = r.pick([undefined, 'hex', 'base64', 'latin1']);
      const label = `cipher ${name} pt=${pt.length} iv=${iv ? iv.length : 'null'} aad=${aad ? aad.length : '-'} pad=${pad} ${outEnc}`;
      let ct;
      let tag;
      line(`${label} enc`, tryShow(() => {
        const c = crypto.createCipheriv(name, key, iv, aead ? { authTagLength: 16 } : undefined);
        if (aad) c.setAAD(aad);
        if (!pad) c.setAutoPadding(false);
        const parts = [];
        for (const p of chunks(r, pt)) parts.push(c.update(p, undefined, outEnc));
        parts.push(c.final(outEnc));
        const joined = outEnc ? Buffer.from(parts.join(''), outEnc) : Buffer.concat(parts);
        ct = joined;
        if (aead) tag = c.getAuthTag();
        return `${joined.toString('hex')}${tag ? '/' + tag.toString('hex') : ''}`;
      }));
      if (ct === undefined) continue;
      line(`${label} dec`, tryShow(() => {
        const d = crypto.createDecipheriv(name, key, iv);
        if (aad) d.setAAD(aad);
        if (tag) d.setAuthTag(tag);
        if (!pad) d.setAutoPadding(false);
        return Buffer.concat([d.update(ct), d.final()]).equals(pt);
      }));
      if (aead) {
        line(`${label} badtag`, tryShow(() => {
          const d = crypto.createDecipheriv(name, key, iv);
          if (aad) d.setAAD(aad);
          const t2 = Buffer.from(tag);
          t2[0] ^= 1;
          d.setAuthTag(t2);
          d.update(ct);
          return d.final();
        }));
      } else if (name.includes('cbc') && ct.length > 0) {
        line(`${label} badpad`, tryShow(() => {
          const d = crypto.createDecipheriv(name, key, iv);
          const c2 = Buffer.from(ct);
          c2[c2.length - 1] ^= 0x55;
          return Buffer.concat([d.update(c2), d.final()]).length;
        }));
      }
    }
  }
  const k16 = Buffer.alloc(16, 1);
  line('cipher bad key', tryShow(() => crypto.createCipheriv('aes-128-cbc', Buffer.alloc(15), k16)));
  line('cipher bad iv', tryShow(() => crypto.createCipheriv('aes-128-cbc', k16, Buffer.alloc(12))));
  line('cipher unknown', tryShow(() => crypto.createCipheriv('aes-128-xyz', k16, k16)));
  line('cipher chacha bad iv', tryShow(() => crypto.createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(8))));
  line('cipher no padding partial', tryShow(() => { const c = crypto.createCipheriv('aes-128-cbc', k16, k16); c.setAutoPadding(false); c.update('abc'); return c.final(); }));
  line('decipher short', tryShow(() => { const c = crypto.createDecipheriv('aes-128-cbc', k16, k16); c.update('abc'); return c.final(); }));
  line('decipher empty', tryShow(() => crypto.createDecipheriv('aes-128-cbc', k16, k16).final()));
  line('cipher final twice', tryShow(() => { const c = crypto.createCipheriv('aes-128-cbc', k16, k16); c.final(); return c.final(); }));
  line('cipher update after final', tryShow(() => { const c = crypto.createCipheriv('aes-128-cbc', k16, k16); c.final(); return c.update('a'); }));
  line('gcm getAuthTag early', tryShow(() => crypto.createCipheriv('aes-128-gcm', k16, Buffer.alloc(12)).getAuthTag()));
  line('gcm setAuthTag bad len', tryShow(() => crypto.createDecipheriv('aes-128-gcm', k16, Buffer.alloc(12)).setAuthTag(Buffer.alloc(3))));
  line('gcm no tag', tryShow(() => crypto.createDecipheriv('aes-128-gcm', k16, Buffer.alloc(12)).final()));
  line('gcm tag 12', tryShow(() => {
    const c = crypto.createCipheriv('aes-128-gcm', k16, Buffer.alloc(12), { authTagLength: 12 });
    const ct = Buffer.concat([c.update('hello'), c.final()]);
    const tag = c.getAuthTag();
    const d = crypto.createDecipheriv('aes-128-gcm', k16, Buffer.alloc(12), { authTagLength: 12 });
    d.setAuthTag(tag);
    return `${tag.length} ${Buffer.concat([d.update(ct), d.final()])}`;
  }));
  line('cipher string io', tryShow(() => {
    const c = crypto.createCipheriv('aes-256-cbc', Buffer.alloc(32, 7), k16);
    const enc = c.update('héllo wörld, a longer message', 'utf8', 'base64') + c.final('base64');
    const d = crypto.createDecipheriv('aes-256-cbc', Buffer.alloc(32, 7), k16);
    return enc + ' ' + d.update(enc, 'base64', 'utf8') + d.final('utf8');
  }));
  line('getCiphers has', tryShow(() => ['aes-128-gcm', 'aes-256-cbc', 'chacha20-poly1305', 'aes-128-ctr'].map((n) => crypto.getCiphers().includes(n))));
  line('getCipherInfo', tryShow(() => ['aes-128-gcm', 'aes-256-cbc', 'chacha20-poly1305', 'aes-128-ctr', 'aes-128-ecb', 'nope'].map((n) => crypto.getCipherInfo(n))));
}

function printRandomShape() {
  line('randomBytes len', tryShow(() => [0, 1, 100].map((n) => crypto.randomBytes(n).length)));
  line('randomBytes -1', tryShow(() => crypto.randomBytes(-1)));
  line('randomBytes str', tryShow(() => crypto.randomBytes('a')));
  line('randomInt same', tryShow(() => crypto.randomInt(5, 5)));
  line('randomInt frac', tryShow(() => crypto.randomInt(1.5)));
  line('randomInt big', tryShow(() => crypto.randomInt(0, 2 ** 49)));
  line('randomInt big1', tryShow(() => crypto.randomInt(2 ** 49)));
  line('randomInt range', tryShow(() => { for (let i = 0; i < 2000; i++) { const v = crypto.randomInt(-3, 4); if (v < -3 || v >= 4) return v; } return 'ok'; }));
  line('randomUUID', tryShow(() => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())));
  line('randomFillSync', tryShow(() => { const b = Buffer.alloc(10); crypto.randomFillSync(b, 2, 3); return [b[0], b[1], b[5], b[9]]; }));
  line('randomFillSync u32', tryShow(() => { const b = new Uint32Array(4); crypto.randomFillSync(b, 1, 2); return [b[0], b[3]]; }));
  line('randomFillSync range', tryShow(() => crypto.randomFillSync(Buffer.alloc(4), 3, 2)));
  line('getRandomValues float', tryShow(() => crypto.getRandomValues(new Float32Array(2))));
  line('getRandomValues big', tryShow(() => crypto.getRandomValues(new Uint8Array(65537))));
  line('timingSafeEqual', tryShow(() => [crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')), crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ac'))]));
  line('timingSafeEqual len', tryShow(() => crypto.timingSafeEqual(Buffer.alloc(1), Buffer.alloc(2))));
  line('timingSafeEqual str', tryShow(() => crypto.timingSafeEqual('a', 'a')));
  line('constants', tryShow(() => [crypto.constants.RSA_PKCS1_PSS_PADDING, crypto.constants.RSA_PSS_SALTLEN_DIGEST, crypto.constants.RSA_PKCS1_PADDING]));
  line('getHashes', tryShow(() => ['sha256', 'md5', 'sha3-256', 'RSA-SHA256'].map((h) => crypto.getHashes().includes(h))));
  line('webcrypto', tryShow(() => [typeof crypto.webcrypto.subtle.digest, crypto.subtle === crypto.webcrypto.subtle, typeof crypto.webcrypto.getRandomValues]));
}

function readKeys(keyDir) {
  const k = {};
  for (const n of ['rsa', 'ec256', 'ec384', 'ed25519']) {
    k[n] = fs.readFileSync(path.join(keyDir, `${n}.pem`), 'utf8');
    k[n + 'pub'] = fs.readFileSync(path.join(keyDir, `${n}.pub.pem`), 'utf8');
  }
  k.rsa1 = fs.readFileSync(path.join(keyDir, 'rsa.pkcs1.pem'), 'utf8');
  k.ecsec1 = fs.readFileSync(path.join(keyDir, 'ec256.sec1.pem'), 'utf8');
  return k;
}

function printKeys(keyDir, r) {
  const k = readKeys(keyDir);
  for (const [name, pem] of Object.entries(k)) {
    line(`key ${name} info`, tryShow(() => {
      const ko = name.endsWith('pub') ? crypto.createPublicKey(pem) : crypto.createPrivateKey(pem);
      return [ko.type, ko.asymmetricKeyType, ko.asymmetricKeyDetails, ko.symmetricKeySize];
    }));
    line(`key ${name} public spki`, tryShow(() => crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' })));
    line(`key ${name} public der`, tryShow(() => crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' })));
    line(`key ${name} jwk`, tryShow(() => {
      const ko = name.endsWith('pub') ? crypto.createPublicKey(pem) : crypto.createPrivateKey(pem);
      const j = ko.export({ format: 'jwk' });
      return Object.keys(j).sort().map((x) => `${x}=${j[x]}`).join(' ');
    }));
    if (!name.endsWith('pub')) {
      line(`key ${name} pkcs8 roundtrip`, tryShow(() => {
        const der = crypto.createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
        const back = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
        return back.export({ type: 'spki', format: 'pem' }) === crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' });
      }));
      line(`key ${name} jwk roundtrip`, tryShow(() => {
        const j = crypto.createPrivateKey(pem).export({ format: 'jwk' });
        return crypto.createPrivateKey({ key: j, format: 'jwk' }).equals(crypto.createPrivateKey(pem));
      }));
    }
  }
  line('key rsa pkcs1 export', tryShow(() => crypto.createPrivateKey(k.rsa).export({ type: 'pkcs1', format: 'pem' })));
  line('key rsa pkcs8 export', tryShow(() => crypto.createPrivateKey(k.rsa1).export({ type: 'pkcs8', format: 'pem' })));
  line('key rsa pub pkcs1', tryShow(() => crypto.createPublicKey(k.rsa).export({ type: 'pkcs1', format: 'pem' })));
  line('key ed pkcs8 export', tryShow(() => crypto.createPrivateKey(k.ed25519).export({ type: 'pkcs8', format: 'pem' })));
  line('key ec sec1 export', tryShow(() => crypto.createPrivateKey(k.ec256).export({ type: 'sec1', format: 'der' }).length));
  line('key ec pkcs1 export', tryShow(() => crypto.createPrivateKey(k.ec256).export({ type: 'pkcs1', format: 'pem' })));
  line('key garbage', tryShow(() => crypto.createPrivateKey('garbage')));
  line('key public as private', tryShow(() => crypto.createPrivateKey(k.rsapub)));
  line('key equals', tryShow(() => [crypto.createPublicKey(k.rsa).equals(crypto.createPublicKey(k.rsapub)), crypto.createPublicKey(k.rsa).equals(crypto.createPublicKey(k.ec256))]));
  line('secret key', tryShow(() => { const s = crypto.createSecretKey(Buffer.from('abc')); return [s.type, s.symmetricKeySize, s.export().toString(), s.export({ format: 'jwk' })]; }));
  line('secret key str', tryShow(() => crypto.createSecretKey('616263', 'hex').export().toString()));

  // Deterministic signatures: RSA PKCS#1 v1.5 and Ed25519.
  for (let i = 0; i < 8; i++) {
    const data = r.bytes(r.int(300));
    const alg = r.pick(['sha256', 'sha1', 'sha512', 'RSA-SHA256', 'sha384']);
    line(`sign rsa ${alg} ${data.length}`, tryShow(() => crypto.createSign(alg).update(data).sign(k.rsa, 'base64')));
    line(`sign rsa oneshot ${alg} ${data.length}`, tryShow(() => crypto.sign(alg, data, k.rsa).toString('hex')));
    line(`sign ed25519 ${data.length}`, tryShow(() => crypto.sign(null, data, k.ed25519).toString('hex')));
    line(`verify ed25519 ${data.length}`, tryShow(() => crypto.verify(null, data, k.ed25519pub, crypto.sign(null, data, k.ed25519))));
  }
  // RSA encryption: deterministic paths compared, random ones round-tripped.
  for (const pad of [undefined, 1, 3, 4]) {
    const data = pad === 3 ? Buffer.concat([Buffer.alloc(1), r.bytes(255)]) : r.bytes(1 + r.int(100));
    line(`publicEncrypt pad=${pad} roundtrip`, tryShow(() => {
      const ct = crypto.publicEncrypt(pad === undefined ? k.rsapub : { key: k.rsapub, padding: pad }, data);
      if (pad === 1) return ct.length;
      return crypto.privateDecrypt(pad === undefined ? k.rsa : { key: k.rsa, padding: pad }, ct).equals(data);
    }));
    line(`privateEncrypt pad=${pad}`, tryShow(() => crypto.privateEncrypt(pad === undefined ? k.rsa : { key: k.rsa, padding: pad }, data).toString('hex')));
    line(`publicDecrypt pad=${pad}`, tryShow(() => crypto.publicDecrypt(pad === undefined ? k.rsapub : { key: k.rsapub, padding: pad },
      crypto.privateEncrypt(pad === undefined ? k.rsa : { key: k.rsa, padding: pad }, data)).equals(data)));
  }
  line('privateDecrypt pkcs1', tryShow(() => crypto.privateDecrypt({ key: k.rsa, padding: 1 }, Buffer.alloc(256))));
  line('privateDecrypt garbage', tryShow(() => crypto.privateDecrypt(k.rsa, Buffer.alloc(256, 1))));
  line('publicEncrypt too long', tryShow(() => crypto.publicEncrypt(k.rsapub, Buffer.alloc(250))));
  line('publicDecrypt garbage', tryShow(() => crypto.publicDecrypt(k.rsapub, Buffer.alloc(256, 3))));
  line('publicEncrypt with private', tryShow(() => crypto.privateDecrypt(k.rsa, crypto.publicEncrypt(k.rsa, Buffer.from('x'))).toString()));
  line('oaep sha256 label', tryShow(() => crypto.privateDecrypt({ key: k.rsa, oaepHash: 'sha256', oaepLabel: Buffer.from('L') },
    crypto.publicEncrypt({ key: k.rsapub, oaepHash: 'sha256', oaepLabel: Buffer.from('L') }, Buffer.from('labelled'))).toString()));
  line('publicEncrypt ec key', tryShow(() => crypto.publicEncrypt(k.ec256pub, Buffer.from('x'))));
  // ECDH with fixed private keys: deterministic.
  for (const curve of ['prime256v1', 'secp384r1', 'secp521r1']) {
    const n = { prime256v1: 32, secp384r1: 48, secp521r1: 66 }[curve];
    const a = r.bytes(n);
    const b = r.bytes(n);
    a[0] &= 0x7f; b[0] &= 0x7f;
    if (curve === 'secp521r1') { a[0] &= 1; b[0] &= 1; }
    line(`ecdh ${curve}`, tryShow(() => {
      const x = crypto.createECDH(curve);
      x.setPrivateKey(a);
      const y = crypto.createECDH(curve);
      y.setPrivateKey(b);
      return [x.getPublicKey('hex'), x.getPublicKey('base64', 'compressed'), x.getPublicKey('hex', 'hybrid'), x.getPrivateKey('hex'),
        x.computeSecret(y.getPublicKey()).toString('hex'), y.computeSecret(x.getPublicKey(null, 'compressed'), null, 'base64'),
        crypto.ECDH.convertKey(x.getPublicKey(null, 'compressed'), curve, null, 'hex', 'uncompressed')];
    }));
  }
  line('ecdh generate', tryShow(() => { const x = crypto.createECDH('prime256v1'); const p = x.generateKeys(); const y = crypto.createECDH('prime256v1'); y.generateKeys(); return [p.length, x.computeSecret(y.getPublicKey()).equals(y.computeSecret(p))]; }));
  line('ecdh bad curve', tryShow(() => crypto.createECDH('nope')));
  line('ecdh bad public', tryShow(() => { const x = crypto.createECDH('prime256v1'); x.generateKeys(); return x.computeSecret(Buffer.alloc(65, 4)); }));
  line('ecdh no keys', tryShow(() => crypto.createECDH('prime256v1').getPublicKey()));
  // X25519 and diffieHellman with fixed keys (RFC 7748's Alice and Bob).
  const alice = { kty: 'OKP', crv: 'X25519', d: 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo', x: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo' };
  const bob = { kty: 'OKP', crv: 'X25519', x: '3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08' };
  line('x25519 dh', tryShow(() => crypto.diffieHellman({ privateKey: crypto.createPrivateKey({ key: alice, format: 'jwk' }), publicKey: crypto.createPublicKey({ key: bob, format: 'jwk' }) }).toString('hex')));
  line('x25519 key', tryShow(() => { const ko = crypto.createPrivateKey({ key: alice, format: 'jwk' }); return [ko.asymmetricKeyType, ko.asymmetricKeyDetails, ko.export({ type: 'pkcs8', format: 'der' }).toString('hex'), crypto.createPublicKey(ko).export({ type: 'spki', format: 'pem' })]; }));
  line('x25519 sign', tryShow(() => crypto.sign(null, Buffer.from('x'), crypto.createPrivateKey({ key: alice, format: 'jwk' }))));
  line('ec dh', tryShow(() => crypto.diffieHellman({ privateKey: crypto.createPrivateKey(k.ec256), publicKey: crypto.createPublicKey(k.ec256pub) }).toString('hex')));
  line('dh mixed', tryShow(() => crypto.diffieHellman({ privateKey: crypto.createPrivateKey(k.ec256), publicKey: crypto.createPublicKey({ key: bob, format: 'jwk' }) })));
  line('dh ed25519', tryShow(() => crypto.diffieHellman({ privateKey: crypto.createPrivateKey(k.ed25519), publicKey: crypto.createPublicKey(k.ed25519pub) })));
  line('sign rsa no alg', tryShow(() => crypto.sign(null, Buffer.from('x'), k.rsa).toString('hex')));
  line('sign with public', tryShow(() => crypto.sign('sha256', Buffer.from('x'), k.rsapub)));
  line('verify wrong', tryShow(() => crypto.verify('sha256', Buffer.from('x'), k.rsapub, Buffer.alloc(256))));
  line('sign no key', tryShow(() => crypto.createSign('sha256').update('x').sign()));
  line('sign bad alg', tryShow(() => crypto.createSign('nope')));
  line('sign ec p1363 len', tryShow(() => crypto.sign('sha256', Buffer.from('x'), { key: k.ec256, dsaEncoding: 'ieee-p1363' }).length));
  line('sign bad dsaEncoding', tryShow(() => crypto.sign('sha256', Buffer.from('x'), { key: k.ec256, dsaEncoding: 'nope' })));
}

// gen writes randomised outputs for the other runtime to check.
function gen(dir, keyDir) {
  const k = readKeys(keyDir);
  const r = rng(99);
  const items = [];
  for (let i = 0; i < 6; i++) {
    const data = r.bytes(1 + r.int(200));
    items.push({ kind: 'ecdsa', key: 'ec256', alg: 'sha256', data, sig: crypto.sign('sha256', data, k.ec256) });
    items.push({ kind: 'ecdsa-p1363', key: 'ec384', alg: 'sha384', data, sig: crypto.sign('sha384', data, { key: k.ec384, dsaEncoding: 'ieee-p1363' }) });
    items.push({ kind: 'pss', key: 'rsa', alg: 'sha256', data, sig: crypto.sign('sha256', data, { key: k.rsa, padding: crypto.constants.RSA_PKCS1_PSS_PADDING }) });
    items.push({ kind: 'pss-digest', key: 'rsa', alg: 'sha512', data, sig: crypto.createSign('sha512').update(data).sign({ key: k.rsa, padding: 6, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }) });
    const key = crypto.randomBytes(32);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(data), c.final()]);
    items.push({ kind: 'gcm', data, key, iv, ct, tag: c.getAuthTag() });
    const c2 = crypto.createCipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
    c2.setAAD(Buffer.from('aad'));
    const ct2 = Buffer.concat([c2.update(data), c2.final()]);
    items.push({ kind: 'chacha', data, key, iv, ct: ct2, tag: c2.getAuthTag() });
  }
  for (const [type, opts] of [['rsa', { modulusLength: 2048 }], ['ec', { namedCurve: 'P-256' }], ['ec', { namedCurve: 'secp384r1' }], ['ed25519', {}]]) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync(type, {
      ...opts,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const data = Buffer.from(`generated ${type}`);
    const alg = type === 'ed25519' ? null : 'sha256';
    items.push({ kind: 'generated', type, publicKey, privateKey, data, alg, sig: crypto.sign(alg, data, privateKey) });
  }
  // Passphrase-protected private keys in each encoding Node writes.
  for (const [type, opts, enc] of [['ec', { namedCurve: 'P-256' }, { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc' }],
    ['rsa', { modulusLength: 1024 }, { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc' }],
    ['ec', { namedCurve: 'P-384' }, { type: 'sec1', format: 'pem', cipher: 'aes-192-cbc' }],
    ['ed25519', {}, { type: 'pkcs8', format: 'der', cipher: 'aes-128-cbc' }]]) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync(type, {
      ...opts,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { ...enc, passphrase: 'pass phrase' },
    });
    items.push({ kind: 'encrypted', type, enc, publicKey, privateKey });
  }
  const ser = items.map((it) => Object.fromEntries(Object.entries(it).map(([a, b]) => [a, Buffer.isBuffer(b) ? { hex: b.toString('hex') } : b])));
  fs.writeFileSync(path.join(dir, 'items.json'), JSON.stringify(ser));
}

function check(dir, keyDir) {
  const k = readKeys(keyDir);
  const items = JSON.parse(fs.readFileSync(path.join(dir, 'items.json'), 'utf8'))
    .map((it) => Object.fromEntries(Object.entries(it).map(([a, b]) => [a, b && b.hex !== undefined ? Buffer.from(b.hex, 'hex') : b])));
  let i = 0;
  for (const it of items) {
    const label = `check ${i++} ${it.kind}`;
    switch (it.kind) {
      case 'ecdsa':
        line(label, tryShow(() => crypto.verify(it.alg, it.data, k[it.key + 'pub'], it.sig)));
        break;
      case 'ecdsa-p1363':
        line(label, tryShow(() => crypto.verify(it.alg, it.data, { key: k[it.key + 'pub'], dsaEncoding: 'ieee-p1363' }, it.sig)));
        break;
      case 'pss':
      case 'pss-digest':
        line(label, tryShow(() => crypto.createVerify(it.alg).update(it.data).verify({ key: k.rsapub, padding: 6, saltLength: it.kind === 'pss' ? crypto.constants.RSA_PSS_SALTLEN_AUTO : -1 }, it.sig)));
        break;
      case 'gcm':
      case 'chacha': {
        const name = it.kind === 'gcm' ? 'aes-256-gcm' : 'chacha20-poly1305';
        line(label, tryShow(() => {
          const d = crypto.createDecipheriv(name, it.key, it.iv, { authTagLength: 16 });
          if (it.kind === 'chacha') d.setAAD(Buffer.from('aad'));
          d.setAuthTag(it.tag);
          return Buffer.concat([d.update(it.ct), d.final()]).equals(it.data);
        }));
        break;
      }
      case 'encrypted':
        line(label + ' ' + it.type + ' ' + it.enc.type, tryShow(() => {
          const opts = { key: it.privateKey, passphrase: 'pass phrase', format: it.enc.format, type: it.enc.type };
          return [true, true, crypto.createPublicKey(opts).export({ type: 'spki', format: 'pem' }) === it.publicKey,
            crypto.createPrivateKey(opts).asymmetricKeyType];
        }));
        break;
      case 'generated':
        line(label + ' ' + it.type, tryShow(() => [
          crypto.verify(it.alg, it.data, it.publicKey, it.sig),
          crypto.verify(it.alg, it.data, it.publicKey, crypto.sign(it.alg, it.data, it.privateKey)),
          crypto.createPublicKey(it.privateKey).export({ type: 'spki', format: 'pem' }) === it.publicKey,
          crypto.createPrivateKey(it.privateKey).asymmetricKeyType,
        ]));
        break;
    }
  }
}

async function printWeb(r) {
  const subtle = crypto.webcrypto.subtle;
  const tryA = async (label, f) => {
    try { line(label, show(await f())); } catch (e) { line(label, show(e)); }
  };
  for (const h of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'sha-256']) {
    const data = r.bytes(r.int(200));
    await tryA(`subtle digest ${h} ${data.length}`, () => subtle.digest(h, data));
  }
  await tryA('subtle digest bad', () => subtle.digest('MD5', Buffer.from('x')));
  const hk = await subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  await tryA('subtle hmac alg', async () => hk.algorithm);
  await tryA('subtle hmac key props', async () => [hk.type, hk.extractable, hk.usages]);
  await tryA('subtle hmac sign', () => subtle.sign('HMAC', hk, Buffer.from('data')));
  await tryA('subtle hmac verify', async () => subtle.verify('HMAC', hk, await subtle.sign('HMAC', hk, Buffer.from('data')), Buffer.from('data')));
  await tryA('subtle hmac export raw', () => subtle.exportKey('raw', hk));
  await tryA('subtle hmac export jwk', () => subtle.exportKey('jwk', hk));
  const ak = await subtle.importKey('raw', Buffer.alloc(32, 5), 'AES-GCM', true, ['encrypt', 'decrypt']);
  await tryA('subtle aes alg', async () => ak.algorithm);
  for (const n of [0, 5, 16, 100]) {
    const iv = r.bytes(12);
    const pt = r.bytes(n);
    await tryA(`subtle aes-gcm ${n}`, async () => {
      const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: Buffer.from('x') }, ak, pt);
      const back = await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: Buffer.from('x') }, ak, ct);
      return `${Buffer.from(ct).toString('hex')} ${Buffer.from(back).equals(pt)}`;
    });
  }
  await tryA('subtle aes-gcm tamper', async () => {
    const iv = Buffer.alloc(12);
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, ak, Buffer.from('hello')));
    ct[0] ^= 1;
    return subtle.decrypt({ name: 'AES-GCM', iv }, ak, ct);
  });
  await tryA('subtle aes export jwk', () => subtle.exportKey('jwk', ak));
  const k = readKeys(process.argv[3]);
  const pkcs8 = crypto.createPrivateKey(k.ec256).export({ type: 'pkcs8', format: 'der' });
  const spki = crypto.createPublicKey(k.ec256).export({ type: 'spki', format: 'der' });
  const ecPriv = await subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const ecPub = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  await tryA('subtle ec alg', async () => [ecPriv.algorithm, ecPub.algorithm, ecPriv.type, ecPub.usages]);
  await tryA('subtle ecdsa roundtrip', async () => {
    const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ecPriv, Buffer.from('msg'));
    return [sig.byteLength, await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, ecPub, sig, Buffer.from('msg')),
      crypto.verify('sha256', Buffer.from('msg'), { key: k.ec256pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig))];
  });
  await tryA('subtle ec export raw', () => subtle.exportKey('raw', ecPub));
  await tryA('subtle ec export jwk', async () => { const j = await subtle.exportKey('jwk', ecPriv); return Object.keys(j).sort().map((x) => `${x}=${j[x]}`).join(' '); });
  await tryA('subtle ec import raw', async () => {
    const raw = await subtle.exportKey('raw', ecPub);
    const back = await subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    return Buffer.from(await subtle.exportKey('spki', back)).equals(spki);
  });
  const edPriv = await subtle.importKey('pkcs8', crypto.createPrivateKey(k.ed25519).export({ type: 'pkcs8', format: 'der' }), 'Ed25519', false, ['sign']);
  await tryA('subtle ed25519 sign', () => subtle.sign('Ed25519', edPriv, Buffer.from('msg')));
  await tryA('subtle ed25519 export non-extractable', () => subtle.exportKey('pkcs8', edPriv));
  await tryA('subtle generate hmac', async () => { const g = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']); return [g.algorithm, (await subtle.exportKey('raw', g)).byteLength]; });
  await tryA('subtle generate aes', async () => { const g = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']); return [g.algorithm, g.extractable, g.usages]; });
  await tryA('subtle generate ec', async () => {
    const g = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
    const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, g.privateKey, Buffer.from('m'));
    return [g.publicKey.algorithm, g.privateKey.usages, g.publicKey.usages, await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, g.publicKey, sig, Buffer.from('m'))];
  });
  await tryA('subtle generate ed25519', async () => {
    const g = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
    const sig = await subtle.sign('Ed25519', g.privateKey, Buffer.from('m'));
    return [g.publicKey.algorithm, await subtle.verify('Ed25519', g.publicKey, sig, Buffer.from('m'))];
  });
  await tryA('subtle import jwk hmac', async () => {
    const j = await subtle.importKey('jwk', { kty: 'oct', k: 'a2V5', alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    return Buffer.from(await subtle.sign('HMAC', j, Buffer.from('data'))).toString('hex');
  });
  await tryA('subtle pbkdf2', async () => {
    const base = await subtle.importKey('raw', Buffer.from('pw'), 'PBKDF2', false, ['deriveBits']);
    return subtle.deriveBits({ name: 'PBKDF2', salt: Buffer.from('salt'), iterations: 10, hash: 'SHA-256' }, base, 256);
  });
  await tryA('subtle hkdf', async () => {
    const base = await subtle.importKey('raw', Buffer.from('ikm'), 'HKDF', false, ['deriveBits']);
    return subtle.deriveBits({ name: 'HKDF', salt: Buffer.from('salt'), info: Buffer.from('info'), hash: 'SHA-256' }, base, 128);
  });
  await tryA('subtle ecdh', async () => {
    const a = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveBits', 'deriveKey']);
    const b = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveBits']);
    const x = await subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 384);
    const y = await subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, 256);
    const k = await subtle.deriveKey({ name: 'ECDH', public: b.publicKey }, a.privateKey, { name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    return [x.byteLength, Buffer.from(x).subarray(0, 32).equals(Buffer.from(y)), k.algorithm, a.publicKey.usages, a.privateKey.usages,
      Buffer.from(await subtle.exportKey('raw', k)).equals(Buffer.from(x).subarray(0, 32))];
  });
  await tryA('subtle rsa-oaep', async () => {
    const pub = await subtle.importKey('spki', crypto.createPublicKey(k.rsa).export({ type: 'spki', format: 'der' }), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt']);
    const priv = await subtle.importKey('pkcs8', crypto.createPrivateKey(k.rsa).export({ type: 'pkcs8', format: 'der' }), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
    const ct = await subtle.encrypt({ name: 'RSA-OAEP', label: Buffer.from('l') }, pub, Buffer.from('oaep message'));
    return [ct.byteLength, Buffer.from(await subtle.decrypt({ name: 'RSA-OAEP', label: Buffer.from('l') }, priv, ct)).toString(), pub.algorithm.name, pub.algorithm.modulusLength, pub.usages];
  });
  await tryA('subtle bad usage', () => subtle.importKey('raw', Buffer.alloc(16), 'AES-GCM', true, ['sign']));
  await tryA('subtle bad alg', () => subtle.importKey('raw', Buffer.alloc(16), 'AES-XYZ', true, ['encrypt']));
  await tryA('getRandomValues global', async () => globalThis.crypto.getRandomValues(new Uint8Array(4)).length);
  await tryA('global subtle', async () => typeof globalThis.crypto.subtle);
}

async function printAsync(r) {
  const p = (f) => new Promise((resolve) => f((err, v) => resolve(err ? show(err) : show(v))));
  line('async pbkdf2', await p((cb) => crypto.pbkdf2('pw', 'salt', 10, 20, 'sha256', cb)));
  line('async pbkdf2 bad digest', await p((cb) => { try { crypto.pbkdf2('pw', 'salt', 10, 20, 'nope', cb); } catch (e) { cb(e); } }));
  line('async scrypt', await p((cb) => crypto.scrypt('pw', 'salt', 16, { N: 64 }, cb)));
  line('async scrypt nooptions', await p((cb) => crypto.scrypt('pw', 'salt', 16, cb)));
  line('async hkdf', await p((cb) => crypto.hkdf('sha512', 'ikm', 'salt', 'info', 30, cb)));
  line('async randomBytes', await p((cb) => crypto.randomBytes(7, (e, b) => cb(e, b.length))));
  line('async randomFill', await p((cb) => crypto.randomFill(Buffer.alloc(5), 1, 2, (e, b) => cb(e, [b.length, b[0], b[4]]))));
  line('async randomInt', await p((cb) => crypto.randomInt(3, 4, cb)));
  line('async generateKeyPair', await p((cb) => crypto.generateKeyPair('ec', { namedCurve: 'P-256' }, (e, pub, priv) => cb(e, [pub.type, priv.type, pub.asymmetricKeyType]))));
  line('async sign', await p((cb) => crypto.sign(null, Buffer.from('x'), crypto.generateKeyPairSync('ed25519').privateKey, (e, s) => cb(e, s.length))));
  const h = crypto.createHash('sha256');
  const streamed = await new Promise((resolve) => {
    h.on('readable', () => { const d = h.read(); if (d) resolve(d.toString('hex')); });
    h.write('ab');
    h.end('c');
  });
  line('hash stream', streamed);
  void r;
}

async function main() {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === 'gen') return gen(a, b);
  if (mode === 'check') {
    check(a, b);
  } else {
    const r = rng(20261125);
    printHashes(r);
    printHashPaths();
    printHmac(r);
    printKdf(r);
    printCiphers(r);
    printRandomShape();
    printKeys(a, r);
    await printWeb(r);
    await printAsync(r);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
