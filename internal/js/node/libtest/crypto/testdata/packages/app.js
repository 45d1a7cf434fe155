'use strict';
// Real npm packages over node:crypto (run by packages_test.go under node and
// gnode; outputs must match). Keys come from the directory in argv[2].
const fs = require('fs');
const path = require('path');
// Until the global crypto has subtle (lib/internal/bootstrap.js), install
// the module's web crypto, as Node's global is.
if (!globalThis.crypto || !globalThis.crypto.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: require('crypto').webcrypto, configurable: true, writable: true });
  const wg = require('crypto')[Symbol.for('gnode.crypto.webGlobals')];
  for (const k of ['Crypto', 'CryptoKey', 'SubtleCrypto']) globalThis[k] = wg[k];
}
const jwt = require('jsonwebtoken');
const uuid = require('uuid');
const bcrypt = require('bcryptjs');
const key = (f) => fs.readFileSync(path.join(process.argv[2], f));
const rsa = key('rsa.pem');
const rsapub = key('rsa.pub.pem');
const ec = key('ec256.pem');
const ecpub = key('ec256.pub.pem');
const payload = { sub: 'u1', iat: 1700000000 };
console.log('HS256', jwt.sign(payload, 'secret'));
console.log('HS512', jwt.sign(payload, 'secret', { algorithm: 'HS512' }));
console.log('RS256', jwt.sign(payload, rsa, { algorithm: 'RS256' }));
console.log('RS256 verify', jwt.verify(jwt.sign(payload, rsa, { algorithm: 'RS256' }), rsapub).sub);
console.log('PS256 verify', jwt.verify(jwt.sign(payload, rsa, { algorithm: 'PS256' }), rsapub).sub);
console.log('ES256 verify', jwt.verify(jwt.sign(payload, ec, { algorithm: 'ES256' }), ecpub).sub);
try { jwt.verify(jwt.sign(payload, 'a'), 'b'); } catch (e) { console.log('bad sig', e.name, e.message); }
console.log('uuid', uuid.validate(uuid.v4()), uuid.v5('hello', uuid.v5.URL), uuid.v3('hello', uuid.v3.DNS), uuid.version(uuid.v7()));
const h = bcrypt.hashSync('pw', bcrypt.genSaltSync(4));
console.log('bcrypt', bcrypt.compareSync('pw', h), bcrypt.compareSync('px', h));
(async () => {
  const jose = require('jose');
  const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
  const tok = await new jose.SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(1700000000).sign(secret);
  console.log('jose HS256', tok, (await jose.jwtVerify(tok, secret)).payload.a);
  for (const alg of ['ES256', 'ES384', 'EdDSA', 'PS256', 'RS256']) {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    const t = await new jose.SignJWT({ b: alg }).setProtectedHeader({ alg }).sign(privateKey);
    const jwk = await jose.exportJWK(publicKey);
    console.log('jose', alg, (await jose.jwtVerify(t, publicKey)).payload.b, Object.keys(jwk).sort().join(','));
  }
  const jwe = await new jose.CompactEncrypt(new TextEncoder().encode('secret msg')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
  console.log('jose dir A256GCM', new TextDecoder().decode((await jose.compactDecrypt(jwe, secret)).plaintext));
  const ecdh = await jose.generateKeyPair('ECDH-ES', { crv: 'P-256' });
  const jwe2 = await new jose.CompactEncrypt(new TextEncoder().encode('ecdh msg')).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM' }).encrypt(ecdh.publicKey);
  console.log('jose ECDH-ES', new TextDecoder().decode((await jose.compactDecrypt(jwe2, ecdh.privateKey)).plaintext));
  const oaep = await jose.generateKeyPair('RSA-OAEP-256');
  const jwe3 = await new jose.CompactEncrypt(new TextEncoder().encode('oaep msg')).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(oaep.publicKey);
  console.log('jose RSA-OAEP-256', new TextDecoder().decode((await jose.compactDecrypt(jwe3, oaep.privateKey)).plaintext));
  const rsaKey = await jose.importPKCS8(rsa.toString(), 'RS256');
  console.log('jose RS256 fixed', await new jose.SignJWT({ d: 4 }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(1700000000).sign(rsaKey));
})().catch((e) => { console.log('jose error', e); process.exitCode = 1; });
