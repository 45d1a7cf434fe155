// AES in CFB (128- and 8-bit feedback) and OFB modes: known answers,
// round trips split over several update() calls, getCipherInfo and the
// listed names.
const crypto = require('crypto');
const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const iv = Buffer.from('f0e0d0c0b0a090807060504030201000', 'hex');
const text = Buffer.from('The quick brown fox jumps over the lazy dog, twice: the quick brown fox.');
for (const bits of [128, 192, 256]) {
  for (const mode of ['cfb', 'cfb8', 'ofb']) {
    const name = `aes-${bits}-${mode}`;
    const k = key.subarray(0, bits / 8);
    const c = crypto.createCipheriv(name, k, iv);
    const parts = [c.update(text.subarray(0, 5)), c.update(text.subarray(5, 37)), c.update(text.subarray(37)), c.final()];
    const enc = Buffer.concat(parts);
    const d = crypto.createDecipheriv(name, k, iv);
    const dec = Buffer.concat([d.update(enc.subarray(0, 17)), d.update(enc.subarray(17)), d.final()]);
    console.log(name, enc.length, enc.toString('hex').slice(0, 48), dec.equals(text), JSON.stringify(crypto.getCipherInfo(name)));
  }
}
console.log(crypto.getCiphers().filter((n) => /^aes-\d+-(cfb|cfb8|ofb)$/.test(n)));
try { crypto.createCipheriv('aes-128-cfb', key.subarray(0, 16), iv.subarray(0, 8)); } catch (e) { console.log(e.code); }
