// publicDecrypt with PKCS#1 v1.5 padding reports OpenSSL's error for the
// first check that fails (messages built from chosen padded blocks).
const crypto = require('crypto');
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const k = 128;
function em(bytes) { const b = Buffer.alloc(k, 0); bytes.copy(b); return b; }
const cases = {
  first_nonzero: (() => { const b = Buffer.alloc(k, 0x11); b[0] = 0x01; return b; })(),
  type_not_01: (() => { const b = Buffer.alloc(k, 0x11); b[0] = 0; b[1] = 2; return b; })(),
  bad_fixed_header: (() => { const b = Buffer.alloc(k, 0xff); b[0] = 0; b[1] = 1; b[5] = 0x12; return b; })(),
  null_missing: (() => { const b = Buffer.alloc(k, 0xff); b[0] = 0; b[1] = 1; return b; })(),
  bad_pad_count: (() => { const b = Buffer.alloc(k, 0xff); b[0] = 0; b[1] = 1; b[6] = 0; return b; })(),
  ok_min: (() => { const b = Buffer.alloc(k, 0xab); b[0] = 0; b[1] = 1; b.fill(0xff, 2, 10); b[10] = 0; return b; })(),
  ok_short: (() => { const b = Buffer.alloc(k, 0xab); b[0] = 0; b[1] = 1; b.fill(0xff, 2, 9); b[9] = 0; return b; })(),
};
for (const [name, m] of Object.entries(cases)) {
  const c = crypto.privateEncrypt({ key: privateKey, padding: crypto.constants.RSA_NO_PADDING }, m);
  try { const r = crypto.publicDecrypt(publicKey, c); console.log(name, 'ok', r.length); }
  catch (e) { console.log(name, e.code, e.message); }
}
