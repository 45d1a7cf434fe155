// Short Buffer and TextEncoder/TextDecoder operations (issue #3: what gnode
// implements natively within 2x of node). Each case is a loop over one
// operation on 20-64 bytes, written inline so the figure is the operation
// and the loop, not a closure call per iteration.
// Usage: bufshort.js [name...] — prints "name<TAB>milliseconds of CPU" per
// case (all cases without arguments); bufshort.js --list prints the names.
// CPU is the process's user+system time (process.cpuUsage), so other load
// on the machine moves it less than wall time. bufshort_ab.py runs node and
// gnode binaries in alternating rounds.
'use strict';

const ascii20 = Buffer.from('hello, world! 123456');
const ascii64 = Buffer.from('GET /api/v1/users/12345?fields=name,email HTTP/1.1 Host: x.y.z!');
const mixed = Buffer.from('héllo wörld ✓ 12');
const other = Buffer.from('hello, world! 123457');
const str20 = 'hello, world! 123456';
const str64 = ascii64.toString();
const hex20 = ascii20.toString('hex');
const b64_20 = ascii20.toString('base64');
const parts = [Buffer.from('HTTP/1.1 200 OK\r\n'), Buffer.from('Content-Length: 12\r\n\r\n'), Buffer.from('hello world!')];
const hdr = Buffer.alloc(16);
const dest = Buffer.alloc(64);
const u8dest = new Uint8Array(64);
const td = new TextDecoder();
const te = new TextEncoder();
const u8ascii = new Uint8Array(ascii20);
const u8mixed = new Uint8Array(mixed);

const cases = {
  tostring_utf8_20(n) { let x; for (let i = 0; i < n; i++) x = ascii20.toString(); return x; },
  tostring_utf8_64(n) { let x; for (let i = 0; i < n; i++) x = ascii64.toString('utf8'); return x; },
  tostring_utf8_mixed(n) { let x; for (let i = 0; i < n; i++) x = mixed.toString(); return x; },
  tostring_hex_20(n) { let x; for (let i = 0; i < n; i++) x = ascii20.toString('hex'); return x; },
  tostring_base64_20(n) { let x; for (let i = 0; i < n; i++) x = ascii20.toString('base64'); return x; },
  tostring_base64_64(n) { let x; for (let i = 0; i < n; i++) x = ascii64.toString('base64'); return x; },
  tostring_latin1_20(n) { let x; for (let i = 0; i < n; i++) x = ascii20.toString('latin1'); return x; },
  tostring_range(n) { let x; for (let i = 0; i < n; i++) x = ascii64.toString('utf8', 4, 24); return x; },
  from_utf8_20(n) { let x; for (let i = 0; i < n; i++) x = Buffer.from(str20); return x; },
  from_utf8_64(n) { let x; for (let i = 0; i < n; i++) x = Buffer.from(str64, 'utf8'); return x; },
  from_hex_20(n) { let x; for (let i = 0; i < n; i++) x = Buffer.from(hex20, 'hex'); return x; },
  from_base64_20(n) { let x; for (let i = 0; i < n; i++) x = Buffer.from(b64_20, 'base64'); return x; },
  from_buffer_20(n) { let x; for (let i = 0; i < n; i++) x = Buffer.from(ascii20); return x; },
  write_utf8(n) { let x = 0; for (let i = 0; i < n; i++) x += dest.write(str20); return x; },
  write_utf8_offset(n) { let x = 0; for (let i = 0; i < n; i++) x += dest.write(str20, 8); return x; },
  write_hex(n) { let x = 0; for (let i = 0; i < n; i++) x += dest.write(hex20, 0, 'hex'); return x; },
  readuint32le(n) { let x = 0; for (let i = 0; i < n; i++) x += hdr.readUInt32LE(4); return x; },
  writeuint32le(n) { let x = 0; for (let i = 0; i < n; i++) x += hdr.writeUInt32LE(i, 4); return x; },
  readuint16be(n) { let x = 0; for (let i = 0; i < n; i++) x += hdr.readUInt16BE(2); return x; },
  readdoublele(n) { let x = 0; for (let i = 0; i < n; i++) x += hdr.readDoubleLE(8); return x; },
  concat_3(n) { let x; for (let i = 0; i < n; i++) x = Buffer.concat(parts); return x; },
  concat_2_len(n) { let x; for (let i = 0; i < n; i++) x = Buffer.concat([ascii20, other], 40); return x; },
  slice(n) { let x; for (let i = 0; i < n; i++) x = ascii64.slice(4, 24); return x; },
  subarray(n) { let x; for (let i = 0; i < n; i++) x = ascii64.subarray(4); return x; },
  equals(n) { let x = 0; for (let i = 0; i < n; i++) x += ascii20.equals(other) ? 1 : 0; return x; },
  compare(n) { let x = 0; for (let i = 0; i < n; i++) x += ascii20.compare(other); return x; },
  buffer_compare(n) { let x = 0; for (let i = 0; i < n; i++) x += Buffer.compare(ascii20, other); return x; },
  bytelength_20(n) { let x = 0; for (let i = 0; i < n; i++) x += Buffer.byteLength(str20); return x; },
  bytelength_64_utf8(n) { let x = 0; for (let i = 0; i < n; i++) x += Buffer.byteLength(str64, 'utf8'); return x; },
  alloc_16(n) { let x; for (let i = 0; i < n; i++) x = Buffer.alloc(16); return x; },
  allocunsafe_16(n) { let x; for (let i = 0; i < n; i++) x = Buffer.allocUnsafe(16); return x; },
  indexof_str(n) { let x = 0; for (let i = 0; i < n; i++) x += ascii64.indexOf('HTTP'); return x; },
  td_decode_ascii(n) { let x; for (let i = 0; i < n; i++) x = td.decode(u8ascii); return x; },
  td_decode_mixed(n) { let x; for (let i = 0; i < n; i++) x = td.decode(u8mixed); return x; },
  td_decode_buffer(n) { let x; for (let i = 0; i < n; i++) x = td.decode(ascii64); return x; },
  te_encode_20(n) { let x; for (let i = 0; i < n; i++) x = te.encode(str20); return x; },
  te_encode_64(n) { let x; for (let i = 0; i < n; i++) x = te.encode(str64); return x; },
  te_encodeinto(n) { let x; for (let i = 0; i < n; i++) x = te.encodeInto(str20, u8dest); return x; },
};

// Iterations per case: about 20-60 ms of node CPU each.
const N = 1e6;
const iterations = { concat_3: N / 4, concat_2_len: N / 4, from_hex_20: N / 2, from_base64_20: N / 2 };

const args = process.argv.slice(2);
if (args[0] === '--list') {
  for (const name of Object.keys(cases)) console.log(name);
} else {
  for (const name of args.length ? args : Object.keys(cases)) {
    const fn = cases[name];
    if (fn === undefined) throw new Error(`bufshort.js: no case ${name}`);
    const n = iterations[name] || N;
    fn(n / 100); // warm up: node compiles the loop, both touch the code once
    const c0 = process.cpuUsage();
    fn(n);
    const c = process.cpuUsage(c0);
    console.log(`${name}\t${((c.user + c.system) / 1000).toFixed(1)}\t${n}`);
  }
}
