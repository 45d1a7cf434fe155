package runtime

import (
	"bufio"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func headOf(input string, server bool) (*httpHead, error) {
	s := &tcpSock{br: bufio.NewReaderSize(strings.NewReader(input), 64<<10)}
	return s.readHead(server)
}

func TestReadHead(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		server    bool
		errCode   string
		first     [3]string
		raw       []string
		keepAlive bool
		chunked   bool
		length    int64
	}{
		{name: "get 1.1", in: "GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n", server: true,
			first: [3]string{"GET", "/a?b", "HTTP/1.1"}, raw: []string{"Host", "x"}, keepAlive: true, length: -1},
		{name: "leading CRLF and LF lines", in: "\r\nPOST / HTTP/1.1\nContent-Length: 3\n\nabc", server: true,
			first: [3]string{"POST", "/", "HTTP/1.1"}, raw: []string{"Content-Length", "3"}, keepAlive: true, length: 3},
		{name: "1.0 close by default", in: "GET / HTTP/1.0\r\n\r\n", server: true, first: [3]string{"GET", "/", "HTTP/1.0"}, length: -1},
		{name: "1.0 keep-alive", in: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", server: true,
			first: [3]string{"GET", "/", "HTTP/1.0"}, raw: []string{"Connection", "Keep-Alive"}, keepAlive: true, length: -1},
		{name: "close", in: "GET / HTTP/1.1\r\nconnection: close\r\n\r\n", server: true,
			first: [3]string{"GET", "/", "HTTP/1.1"}, raw: []string{"connection", "close"}, length: -1},
		{name: "chunked, value whitespace trimmed", in: "PUT / HTTP/1.1\r\nTransfer-Encoding:  chunked \r\n\r\n", server: true,
			first: [3]string{"PUT", "/", "HTTP/1.1"}, raw: []string{"Transfer-Encoding", "chunked"}, keepAlive: true, chunked: true, length: -1},
		{name: "response", in: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
			first: [3]string{"HTTP/1.1", "404", "Not Found"}, raw: []string{"Content-Length", "0"}, keepAlive: true, length: 0},
		{name: "response without reason", in: "HTTP/1.1 200\r\n\r\n", first: [3]string{"HTTP/1.1", "200", ""}, keepAlive: true, length: -1},
		{name: "lowercase method", in: "get / HTTP/1.1\r\n\r\n", server: true, errCode: "HPE_INVALID_METHOD"},
		{name: "bad version", in: "GET / HTTP/x\r\n\r\n", server: true, errCode: "HPE_INVALID_VERSION"},
		{name: "space in header name", in: "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", server: true, errCode: "HPE_INVALID_HEADER_TOKEN"},
		// llhttp's code for the smuggling guard depends on which header came first.
		{name: "smuggling", in: "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", server: true, errCode: "HPE_INVALID_TRANSFER_ENCODING"},
		{name: "smuggling te first", in: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", server: true, errCode: "HPE_INVALID_CONTENT_LENGTH"},
		{name: "conflicting lengths", in: "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", server: true, errCode: "HPE_UNEXPECTED_CONTENT_LENGTH"},
		{name: "negative length", in: "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", server: true, errCode: "HPE_INVALID_CONTENT_LENGTH"},
		{name: "duplicate length", in: "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", server: true, errCode: "HPE_UNEXPECTED_CONTENT_LENGTH"},
		{name: "header overflow", in: "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 20000) + "\r\n\r\n", server: true, errCode: "HPE_HEADER_OVERFLOW"},
		{name: "bad status", in: "HTTP/1.1 2000 OK\r\n\r\n", errCode: "HPE_INVALID_STATUS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := headOf(tc.in, tc.server)
			if tc.errCode != "" {
				var pe *httpParseError
				if !errors.As(err, &pe) || pe.code != tc.errCode {
					t.Fatalf("err %v, want %s", err, tc.errCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.first != tc.first || strings.Join(h.raw, "|") != strings.Join(tc.raw, "|") ||
				h.keepAlive() != tc.keepAlive || h.chunked != tc.chunked || h.contentLength != tc.length {
				t.Errorf("got first=%q raw=%q keepAlive=%v chunked=%v length=%d", h.first, h.raw, h.keepAlive(), h.chunked, h.contentLength)
			}
		})
	}
}

// FuzzReadHead: any input either parses or fails with an error; parsed
// heads hold only what the input held.
func FuzzReadHead(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /p HTTP/1.0\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello",
		"HTTP/1.1 101 Switching\r\nUpgrade: ws\r\nConnection: Upgrade\r\n\r\n",
		"\r\n\r\nGET",
		"GET / HTTP/1.1\r\nA:\r\n:b\r\n\r\n",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, in string, server bool) {
		h, err := headOf(in, server)
		if err != nil {
			return
		}
		if len(h.raw)%2 != 0 {
			t.Fatalf("odd raw header list %q", h.raw)
		}
		for i := 0; i < len(h.raw); i += 2 {
			if !validToken(h.raw[i]) || strings.ContainsAny(h.raw[i+1], "\r\n") {
				t.Fatalf("bad header %q: %q", h.raw[i], h.raw[i+1])
			}
		}
		if h.major > 9 || h.minor > 9 {
			t.Fatalf("version %d.%d", h.major, h.minor)
		}
	})
}

// responseHeadsProgram sends one request per case over a fresh connection
// and prints each raw response with the Date value masked: the bytes of
// res.end(string)'s fast head (_http_server.js plainHead) and of the
// generic writeHead path must be node's.
const responseHeadsProgram = `
const http = require('http');
const net = require('net');
const cases = [
  (res) => res.end('hello world'),
  (res) => { res.statusCode = 404; res.end('nope'); },
  (res) => { res.statusCode = 299; res.end('x'); },
  (res) => { res.statusCode = 204; res.end(''); },
  (res) => { res.statusCode = 304; res.end(''); },
  (res) => { res.statusCode = 101; res.end('x'); },
  (res) => { res.statusMessage = 'Fine'; res.end('ok'); },
  (res) => { res.sendDate = false; res.end('ok'); },
  (res) => { res.shouldKeepAlive = false; res.end('ok'); },
  (res) => { res.removeHeader('Content-Length'); res.end('ok'); },
  (res) => { res.removeHeader('connection'); res.end('ok'); },
  (res) => { res.removeHeader('date'); res.end('ok'); },
  (res) => { res.setHeader('X-A', '1'); res.end('ok'); },
  (res) => { res.setHeader('Transfer-Encoding', 'chunked'); res.end('ok'); },
  (res) => { res.end('h\u00e9llo w\u00f6rld \u20ac'); },
  (res) => { res.end(''); },
  (res) => { res.statusCode = 500; res.end('err'); },
  (res) => {
    // on-headers style: a patched writeHead must still run.
    const orig = res.writeHead;
    res.writeHead = function (...a) { this.setHeader('X-Patched', '1'); return orig.apply(this, a); };
    res.end('patched');
  },
  (res) => { res.writeHead(201); res.end('made'); },
  // Stored headers on the one-write end() path (Express's responses), by
  // name length (the lengths _storeHeader looks at: 4, 6, 7, 10, 14, 17)
  // and value type.
  (res) => { res.setHeader('X-Powered-By', 'Express'); res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', '13'); res.setHeader('ETag', 'W/"d-abc"'); res.end(Buffer.from('{"ok":"json"}')); },
  (res) => { res.setHeader('Content-Length', 2); res.setHeader('Vary', 'Accept'); res.setHeader('Server', 'g'); res.setHeader('Expires', '0'); res.end('ok'); },
  (res) => { res.setHeader('Date', 'Thu, 01 Jan 2026 00:00:00 GMT'); res.setHeader('X-N', 42); res.setHeader('X-B', true); res.end('dated'); },
  (res) => { res.setHeader('Connection', 'close'); res.setHeader('X-A', 'a'); res.end('closing'); },
  (res) => { res.setHeader('Connection', 'keep-alive'); res.end('kept'); },
  (res) => { res.setHeader('Transfer-Encoding', 'chunked'); res.setHeader('X-A', 'a'); res.end(Buffer.from('chunks')); },
  (res) => { res.setHeader('Set-Cookie', ['a=1', 'b=2']); res.setHeader('X-List', ['x', 'y']); res.end('cookies'); },
  (res) => { res.statusCode = 404; res.setHeader('Content-Type', 'text/plain'); res.end('missing'); },
  (res) => { res.statusCode = 204; res.setHeader('X-A', 'a'); res.end(); },
  (res) => { res.statusCode = 304; res.setHeader('ETag', '"e"'); res.end(''); },
  (res) => { res.statusCode = 418; res.statusMessage = 'Short'; res.setHeader('X-A', 'a'); res.end('tea'); },
  (res) => { res.setHeader('X-A', 'a'); res.removeHeader('Content-Length'); res.end('nolen'); },
  (res) => { res.setHeader('X-A', 'a'); res.removeHeader('Date'); res.end(Buffer.from('nodate')); },
  (res) => { res.setHeader('content-length', '3'); res.setHeader('X-Upper', 'A'); res.setHeader('x-upper', 'B'); res.end('abc'); },
  (res) => { res.setHeader('X-A', 'a'); res.getHeader('x-a'); res.setHeader('X-A', res.getHeader('X-A') + 'b'); res.end('' + res.getHeader('x-A')); },
];
const server = http.createServer({ keepAliveTimeout: 7000 }, (req, res) => {
  cases[+req.url.slice(1)](res);
});
function send(port, text) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(text));
    let d = '';
    s.on('data', (c) => { d += c.toString('latin1'); });
    s.on('close', () => resolve(d.replace(/Date: [^\r]*/g, 'Date: X')));
    setTimeout(() => s.destroy(), 5000);
  });
}
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  for (const first of ['GET / HTTP/1.1', 'HEAD / HTTP/1.1', 'GET / HTTP/1.0', 'GET / HTTP/1.0\r\nConnection: keep-alive']) {
    for (let n = 0; n < cases.length; n++) {
      const [line, ...rest] = first.split('\r\n');
      const req = line.replace(' / ', ' /' + n + ' ') + '\r\n' + rest.map((h) => h + '\r\n').join('') + 'Host: x\r\n\r\n';
      console.log(JSON.stringify(first), n, JSON.stringify(await send(port, req)));
    }
  }
  // Two requests on one connection, then one that reaches maxRequestsPerSocket.
  console.log('pipelined', JSON.stringify(await send(port, 'GET /0 HTTP/1.1\r\nHost: x\r\n\r\nGET /1 HTTP/1.1\r\nHost: x\r\n\r\n')));
  server.maxRequestsPerSocket = 1;
  console.log('limited', JSON.stringify(await send(port, 'GET /0 HTTP/1.1\r\nHost: x\r\n\r\n')));
  server.close();
});
`

func TestResponseHeadsDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential response head test needs it")
	}
	runDiff(t, node, responseHeadsProgram)
}
