package runtime

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTextCodecFastDifferential runs textCodecScript under node and gnode
// and compares every line: the native TextEncoder.encode/encodeInto and
// TextDecoder.decode (bind_buffer_text.go) on strings and byte sequences
// with and without a byte-order mark, invalid and truncated UTF-8, every
// view type and an ArrayBuffer, fatal and ignoreBOM decoders, streaming
// calls between plain ones (the native decode must see their pending
// bytes), and the calls that go to the JavaScript versions.
func TestTextCodecFastDifferential(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "textcodec_fast.js")
	if err := os.WriteFile(script, []byte(textCodecScript), 0o644); err != nil {
		t.Fatal(err)
	}
	diffAgainstNode(t, script, dir, 600)
}

var textCodecScript = `const te = new TextEncoder(), td = new TextDecoder();
const show = (x) => x instanceof Uint8Array ? (Object.getPrototypeOf(x) === Uint8Array.prototype) + ':' + Array.from(x).join(',') : JSON.stringify(x);
const run = (l, f) => { try { console.log(l, show(f())); } catch (e) { console.log(l, 'throws', e.code || e.name, e.message); } };
for (const s of ['', 'hi', 'héllo', '✓', 'a\ud800b', '😀x', '\ufeffbom', undefined, 5, null, {toString() { return 'obj'; }}]) {
  run('encode ' + JSON.stringify(String(s)), () => te.encode(s));
  if (typeof s !== 'string') continue;
  for (const n of [0, 1, 2, 3, 4, 8, 32]) run('encodeInto ' + JSON.stringify(s) + ' ' + n, () => { const d = new Uint8Array(n); const r = te.encodeInto(s, d); return [r, Array.from(d)]; });
}
run('encode no args', () => te.encode());
run('encodeInto bad dest', () => te.encodeInto('x', []));
run('encodeInto u16', () => te.encodeInto('x', new Uint16Array(2)));
run('encodeInto buffer', () => te.encodeInto('hé', Buffer.alloc(5)));
const inputs = [[], [0x68, 0x69], [0xef, 0xbb, 0xbf, 0x68], [0xef, 0xbb, 0xbf], [0xff, 0x41], [0xef, 0xbb, 0xbf, 0xff], [0xe2, 0x82], [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]];
for (const opts of [undefined, { fatal: true }, { ignoreBOM: true }, { fatal: true, ignoreBOM: true }]) {
  for (const label of ['utf-8', 'utf-16le', 'latin1']) {
    const d = new TextDecoder(label, opts);
    for (const b of inputs) {
      const u8 = new Uint8Array(b);
      run(` + "`" + `decode ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => d.decode(u8));
      run(` + "`" + `decode dv ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => d.decode(new DataView(u8.buffer)));
      run(` + "`" + `decode ab ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => d.decode(u8.buffer));
      run(` + "`" + `decode u16 ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => d.decode(new Uint16Array(u8.buffer, 0, u8.length >> 1)));
      run(` + "`" + `stream ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => [d.decode(u8.subarray(0, 1), { stream: true }), d.decode(u8.subarray(1)), d.decode(u8)]);
      run(` + "`" + `stream2 ${label} ${JSON.stringify(opts)} ${b}` + "`" + `, () => [d.decode(u8, { stream: true }), d.decode(u8), d.decode(u8, { stream: true }), d.decode()]);
    }
    run(` + "`" + `decode none ${label}` + "`" + `, () => d.decode());
    run(` + "`" + `decode null opts ${label}` + "`" + `, () => d.decode(new Uint8Array([0x68]), null));
  }
}
run('decode this', () => TextDecoder.prototype.decode.call({}, new Uint8Array(1)));
run('names', () => [te.encode, te.encodeInto, td.decode].map((f) => f.name + '/' + f.length).join(' '));
run('fatal after error', () => { const d = new TextDecoder('utf-8', { fatal: true }); try { d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }); d.decode(new Uint8Array([0x41])); } catch (e) { } return d.decode(new Uint8Array([0x68])); });
`
