package runtime

import (
	"os/exec"
	"testing"
)

// httpjsHeadsProgram drives setHeader/getHeader (native twins with a
// JavaScript fallback), the stored headers' lines (httpHeaderBlock) and
// plainHead's native twin through the cases each declines or handles,
// printing every response's bytes as the client received them (Date
// masked) and the values the methods returned.
const httpjsHeadsProgram = `
const http = require('http');
const net = require('net');
const cases = {
  plain: (res) => res.end('hello'),
  buffer: (res) => res.end(Buffer.from('buf')),
  empty: (res) => res.end(),
  created: (res) => { res.statusCode = 201; res.end('x'); },
  custom: (res) => { res.statusCode = 599; res.end('y'); },
  nocontent: (res) => { res.statusCode = 204; res.end(); },
  reason: (res) => { res.statusMessage = 'Fine'; res.end('m'); },
  emptyreason: (res) => { res.statusMessage = ''; res.end('m'); },
  nodate: (res) => { res.sendDate = false; res.end('d'); },
  latin1: (res) => res.end('caf\u00e9'),
  wide: (res) => res.end('\u20ac'),
  ka0: (res) => { res._keepAliveTimeout = 0; res.end('k'); },
  ka7: (res) => { res._keepAliveTimeout = 7500; res.end('k'); },
  kafloat: (res) => { res._keepAliveTimeout = 7500.5; res.end('k'); },
  maxreq: (res) => { res._maxRequestsPerSocket = 9; res.end('k'); },
  stored: (res) => {
    res.setHeader('X-Powered-By', 'Express');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', '17');
    res.setHeader('ETag', 'W/"' + (17).toString(16) + '-' + 'abc' + '"');
    res.end('{"hello":"world"}');
  },
  storednum: (res) => { res.setHeader('Content-Length', 2); res.setHeader('X-Zero', -0); res.setHeader('X-Big', 123456789012); res.end('ok'); },
  storedfloat: (res) => { res.setHeader('X-F', 1.5); res.setHeader('X-N', NaN); res.end('ok'); },
  storedbool: (res) => { res.setHeader('X-B', true); res.end('ok'); },
  storedarray: (res) => { res.setHeader('Set-Cookie', ['a=1', 'b=2']); res.end('ok'); },
  storeddate: (res) => { res.setHeader('Date', 'Thu, 01 Jan 1970 00:00:00 GMT'); res.end('ok'); },
  storedconn: (res) => { res.setHeader('Connection', 'keep-alive'); res.end('ok'); },
  storedte: (res) => { res.setHeader('Transfer-Encoding', 'chunked'); res.end('ok'); },
  storedcl: (res) => { res.setHeader('content-length', ' 2 '); res.end('ok'); },
  storedclhex: (res) => { res.setHeader('Content-Length', '0x2'); res.end('ok'); },
  storedlatin1: (res) => { res.setHeader('X-L', 'caf\u00e9'); res.end('ok'); },
  storedreplace: (res) => { res.setHeader('X-A', '1'); res.setHeader('x-a', '2'); res.setHeader('X-B', '3'); res.removeHeader('x-a'); res.setHeader('X-A', '4'); res.end('ok'); },
  writehead: (res) => { res.setHeader('X-A', '1'); res.writeHead(202, { 'X-B': '2' }); res.end('ok'); },
  head: (res) => res.end('body of a HEAD'),
  close: (res) => { res.shouldKeepAlive = false; res.end('bye'); },
  // The body measured by the native head (UTF-8 bytes, byteLength).
  emptystr: (res) => res.end(''),
  emptybuf: (res) => res.end(Buffer.alloc(0)),
  u8: (res) => res.end(new Uint8Array([104, 105])),
  slice: (res) => res.end(Buffer.from('xxhello').subarray(2)),
  surrogates: (res) => res.end('\ud83d\ude00 lone \ud800 end'),
  storedbody: (res) => { res.setHeader('X-A', '1'); res.end('caf\u00e9 \u20ac'); },
  storedempty: (res) => { res.setHeader('X-A', '1'); res.end(''); },
  storedclshort: (res) => { res.setHeader('Content-Length', '3'); res.end('abc'); },
  contentlength: (res) => { res.end('four'); },
  // endHead (end's checks and head in one native call) and its declines.
  latin1empty: (res) => { res.setHeader('X-L', 'caf\u00e9'); res.end(''); },
  latin1body: (res) => { res.setHeader('X-L', 'caf\u00e9'); res.end('b'); },
  latin1emptybuf: (res) => { res.setHeader('X-L', 'caf\u00e9'); res.end(Buffer.alloc(0)); },
  encutf8: (res) => res.end('caf\u00e9', 'utf8'),
  encutf8dash: (res) => res.end('caf\u00e9', 'utf-8'),
  enclatin1: (res) => res.end('caf\u00e9', 'latin1'),
  enchex: (res) => res.end('6869', 'hex'),
  encupper: (res) => res.end('x', 'UTF8'),
  bufenc: (res) => res.end(Buffer.from('bb'), 'hex'),
  endcb: (res) => res.end('cb', () => {}),
  bufcb: (res) => res.end(Buffer.from('cb'), () => {}),
  number: (res) => { try { res.end(5); } catch (e) { res.end(e.code); } },
  ownwritehead: (res) => { res.writeHead = function (c, h) { this.setHeader('X-Own', '1'); return http.ServerResponse.prototype.writeHead.call(this, c, h); }; res.end('o'); },
  ownimplicit: (res) => { res._implicitHeader = function () { this.statusCode = 203; this.writeHead(this.statusCode); }; res.end('i'); },
  storedhead: (res) => { res.setHeader('X-A', '1'); res.end('body of a HEAD with headers'); },
  removed: (res) => { res.setHeader('X-A', '1'); res.removeHeader('X-A'); res.end('r'); },
};
const values = [];
const tryit = (label, f) => { try { values.push(label + ' ' + JSON.stringify(f())); } catch (e) { values.push(label + ' ' + e.code); } };
const server = http.createServer((req, res) => {
  const name = req.url.slice(1);
  if (name === 'methods') {
    tryit('get none', () => res.getHeader('x-none'));
    tryit('set returns res', () => res.setHeader('Content-Type', 'text/html') === res);
    tryit('get lower', () => res.getHeader('content-type'));
    tryit('get upper', () => res.getHeader('CONTENT-TYPE'));
    tryit('number', () => res.setHeader('X-N', 5) && res.getHeader('x-n'));
    tryit('array same', () => { const a = ['a', 'b']; res.setHeader('X-Arr', a); return res.getHeader('x-arr') === a; });
    tryit('bad name', () => res.setHeader('bad name', 'v'));
    tryit('bad value', () => res.setHeader('X-Bad', 'a\nb'));
    tryit('del char', () => res.setHeader('X-Del', 'a\x7fb'));
    tryit('tab ok', () => res.setHeader('X-Tab', 'a\tb') && res.getHeader('x-tab'));
    tryit('undefined value', () => res.setHeader('X-U', undefined));
    tryit('no value', () => res.setHeader('X-Only'));
    tryit('no args', () => res.setHeader());
    tryit('wide bad', () => res.setHeader('X-W', '\u20ac'));
    tryit('name not string', () => res.setHeader(5, 'x'));
    tryit('get not string', () => res.getHeader(5));
    tryit('object value', () => res.setHeader('X-Obj', { a: 1 }) && res.getHeader('x-obj'));
    tryit('non-ascii name', () => res.setHeader('\u00dcn', 'x'));
    tryit('get non-ascii', () => res.getHeader('\u00dcN'));
    tryit('names', () => res.getHeaderNames());
    tryit('raw names', () => res.getRawHeaderNames());
    tryit('headers', () => res.getHeaders());
    tryit('has', () => [res.hasHeader('x-n'), res.hasHeader('X-NONE')]);
    tryit('fn names', () => [res.setHeader.name, res.setHeader.length, res.getHeader.name, res.getHeader.length]);
    res.end('methods');
    tryit('after end', () => res.setHeader('X-Late', '1'));
    tryit('get after end', () => res.getHeader('content-type'));
    return;
  }
  (cases[name] || ((r) => r.end(name)))(res);
});
function once(name, method, close) {
  return new Promise((resolve) => {
    const c = net.connect(server.address().port, () => {
      let out = '';
      c.on('data', (d) => { out += d.toString('latin1'); });
      c.on('close', () => { console.log(JSON.stringify(out.replace(/Date: [^\r]*/g, 'Date: X'))); resolve(); });
      c.write(method + ' /' + name + ' HTTP/1.1\r\nHost: x\r\n\r\n');
      if (!close) c.write('GET /end HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
  });
}
server.listen(0, '127.0.0.1', async () => {
  for (const name of Object.keys(cases)) {
    if (name === 'head' || name === 'storedhead') await once(name, 'HEAD', false);
    else await once(name, 'GET', name === 'close');
  }
  await once('methods', 'GET', false);
  console.log(values.join('\n'));
  server.close();
});
`

// TestHTTPJSHeadsDifferential compares the bytes of responses made through
// the native header helpers (and their declines) with node's.
func TestHTTPJSHeadsDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential head test needs it")
	}
	runDiff(t, node, httpjsHeadsProgram)
}

func TestHeaderBlockHelpers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"0", 0, true}, {"17", 17, true}, {"007", 7, true}, {"999999999999999", 999999999999999, true},
		{"", 0, false}, {" 2", 0, false}, {"2 ", 0, false}, {"0x2", 0, false}, {"1e3", 0, false},
		{"-1", 0, false}, {"1.5", 0, false}, {"1000000000000000", 0, false}} {
		got, ok := plainDecimal([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("plainDecimal(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"Content-Type", true}, {"x-a_b.c!#$%&'*+^`|~9", true}, {"", false}, {"a b", false},
		{"a:b", false}, {"a\"b", false}, {"caf\xe9", false}, {"(x)", false}, {"a/b", false}} {
		if got := isHTTPToken([]byte(c.in)); got != c.ok {
			t.Errorf("isHTTPToken(%q) = %v", c.in, got)
		}
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"text/html", true}, {"a\tb", true}, {"caf\xe9\xff\x80", true}, {"", true},
		{"a\nb", false}, {"a\rb", false}, {"a\x00", false}, {"a\x7f", false}, {"\x1f", false}} {
		if got := validHeaderLatin1([]byte(c.in)); got != c.ok {
			t.Errorf("validHeaderLatin1(%q) = %v", c.in, got)
		}
	}
	if !validHeaderWide([]uint16{'a', 0xe9, '\t'}) || validHeaderWide([]uint16{0x20ac}) || validHeaderWide([]uint16{'\n'}) {
		t.Error("validHeaderWide: wrong verdict")
	}
	for _, c := range []struct {
		in, lower string
		ok        bool
	}{{"Content-Length", "content-length", true}, {"CONTENT-LENGTH", "content-length", true},
		{"content-lengtH", "content-length", true}, {"content-lengt", "content-length", false},
		{"Date", "date", true}, {"Data", "date", false}} {
		if got := asciiLowerIs([]byte(c.in), c.lower); got != c.ok {
			t.Errorf("asciiLowerIs(%q, %q) = %v", c.in, c.lower, got)
		}
	}
	if got := asciiLower([]byte("X-Powered-By")); got != "x-powered-by" {
		t.Errorf("asciiLower = %q", got)
	}
}

// httpjsRequestHeadersProgram reads message.headers of requests whose
// names repeat or not (the native httpHeadersFromRaw and its declines).
const httpjsRequestHeadersProgram = `
const http = require('http');
const net = require('net');
const reqs = [
  'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\nAccept: */*\r\nX-Up: A\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nSet-Cookie: a=1\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: a\r\ncontent-type: b\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\n__proto__: evil\r\nconstructor: c\r\n123: n\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nconstructor: 1\r\nConstructor: 2\r\ntoString: t\r\n\r\n',
  'GET / HTTP/1.1\r\nConnection: close\r\nHost: x\r\n\r\n',
];
const out = [];
const s = http.createServer((req, res) => {
  const h = req.headers;
  out.push(JSON.stringify([Object.keys(h), h, Object.getPrototypeOf(h) === Object.prototype, req.headers === h]));
  res.end('ok');
}).listen(0, () => {
  const c = net.connect(s.address().port, () => { for (const r of reqs) c.write(Buffer.from(r, 'latin1')); });
  let got = '';
  c.on('data', (d) => {
    got += d;
    if (got.split('\r\n\r\nok').length - 1 === reqs.length) {
      c.destroy();
      console.log(out.join('\n'));
      s.close();
    }
  });
});
`

// TestHTTPJSRequestHeadersDifferential compares message.headers with node's.
func TestHTTPJSRequestHeadersDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential request headers test needs it")
	}
	runDiff(t, node, httpjsRequestHeadersProgram)
}
