package runtime

import (
	"os/exec"
	"strings"
	"testing"

	"gnode/internal/js/qjs"
)

// TestCloneShaped checks the engine adapter behind tcp.cloneShaped is
// active and that a clone is an ordinary object: same prototype, same own
// properties in the same order with the template's values (the first ones
// replaced), independent of the template afterwards, and freed without a
// leak when the VM closes. Templates it must refuse return undefined.
func TestCloneShaped(t *testing.T) {
	if !engineOK {
		t.Fatal("the cloneShaped engine adapter is off: HTTP requests and responses take the slow constructor path")
	}
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stage := make([]qjs.Value, maxClonedProps)
	g := vm.Global()
	vm.SetFunc(g, "clone", 0, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return cloneShaped(vm, stage, qjs.Arg(a, 0), a[min(1, len(a)):]), nil
	})
	vm.Free(g)
	v, err := vm.Eval(`
		const out = [];
		function P() {}
		P.prototype.greet = function () { return 'hi ' + this.name; };
		const tpl = Object.create(P.prototype);
		tpl.name = null; tpl.n = 0; tpl.s = 'str'; tpl.o = null; tpl[Symbol.for('k')] = 1; tpl.big = 2 ** 40;
		const a = clone(tpl, 'ann', 7);
		const b = clone(tpl, 'bob', 8, 'other', { x: 1 });
		out.push(Object.getPrototypeOf(a) === P.prototype, a instanceof P, a.greet(), b.greet());
		out.push(JSON.stringify(Reflect.ownKeys(a).map(String)), JSON.stringify(a), JSON.stringify(b));
		a.n = 99; a.extra = true; delete a.s;
		out.push(tpl.n, tpl.s, 'extra' in tpl, b.n, JSON.stringify(Object.keys(a)));
		out.push(Object.isExtensible(a), a[Symbol.for('k')], a.big);
		// Refused: accessors, too many arguments, deleted slots, non-plain objects.
		const acc = Object.create(null); Object.defineProperty(acc, 'g', { get() { return 1; }, enumerable: true });
		const del = { a: 1, b: 2 }; delete del.a;
		// setPrototypeOf leaves an object alone with its shape unhashed,
		// which the engine would then change in place: not shareable.
		const reproto = Object.create(P.prototype); reproto.q = 1; reproto.r = 2; Object.setPrototypeOf(reproto, null);
		out.push(clone(acc), clone({ a: 1 }, 1, 2), clone(del), clone([1, 2]), clone(new Map()), clone(1), clone(), clone(reproto));
		// Adding to or reconfiguring one clone leaves the others alone.
		const c1 = clone(tpl, 'c1'), c2 = clone(tpl, 'c2');
		c1.added = 1; Object.defineProperty(c1, 'n', { enumerable: false }); delete c1.o;
		out.push(JSON.stringify(Object.keys(c1)), JSON.stringify(Object.keys(c2)), JSON.stringify(Object.keys(tpl)));
		// Many clones, each freed (VM.Close reports objects left alive).
		for (let i = 0; i < 1000; i++) clone(tpl, String(i), { i });
		out.join('|');
	`, "clone.js", qjs.Script)
	if err != nil {
		t.Fatal(err)
	}
	got := vm.Str(v)
	vm.Free(v)
	want := strings.Join([]string{
		"true", "true", "hi ann", "hi bob",
		`["name","n","s","o","big","Symbol(k)"]`,
		`{"name":"ann","n":7,"s":"str","o":null,"big":1099511627776}`,
		`{"name":"bob","n":8,"s":"other","o":{"x":1},"big":1099511627776}`,
		"0", "str", "false", "8", `["name","n","o","big","extra"]`,
		"true", "1", "1099511627776",
		"", "", "", "", "", "", "", "",
		`["name","s","big","added"]`, `["name","n","s","o","big"]`, `["name","n","s","o","big"]`,
	}, "|")
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// TestClonePair checks clonePair makes a request and its response (the
// response's first field a new empty array, its second the request), and
// makes nothing when either template or the count is refused.
func TestClonePair(t *testing.T) {
	if !engineOK {
		t.Skip("the cloneShaped engine adapter is off")
	}
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stage := make([]qjs.Value, maxClonedProps)
	g := vm.Global()
	vm.SetFunc(g, "pair", 0, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return clonePair(vm, stage, a), nil
	})
	vm.Free(g)
	v, err := vm.Eval(`
		const out = [];
		function Q() {} function S() {}
		const qt = Object.create(Q.prototype); qt.socket = null; qt.url = null; qt.complete = false; qt.other = 'o';
		const st = Object.create(S.prototype); st.outputData = null; st.req = null; st.ka = 0; st.tail = 't';
		const sock = { s: 1 };
		const res = pair(qt, st, 3, sock, '/x', false, 5000);
		const req = res.req;
		out.push(res instanceof S, req instanceof Q, req.socket === sock, req.url, req.complete, req.other);
		out.push(Array.isArray(res.outputData), res.outputData.length, res.ka, res.tail);
		const res2 = pair(qt, st, 3, sock, '/y', true, 1);
		out.push(res2.outputData !== res.outputData, res2.req !== req, res2.req.url, res2.req.complete);
		const acc = Object.create(null); Object.defineProperty(acc, 'g', { get() { return 1; }, enumerable: true });
		out.push(pair(acc, st, 0), pair(qt, acc, 0), pair(qt, st, 9, 1), pair(qt, st, -1), pair(qt, st, 'x'), pair(qt, st, 5, 1, 2, 3, 4, 5));
		for (let i = 0; i < 500; i++) pair(qt, st, 2, { i }, String(i));
		out.join('|');
	`, "pair.js", qjs.Script)
	if err != nil {
		t.Fatal(err)
	}
	got := vm.Str(v)
	vm.Free(v)
	want := "true|true|true|/x|false|o|true|0|5000|t|true|true|/y|true||||||"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// httpLifecycleProgram drives a server response through the one-write
// end() path and its completion (finishResponse): the request's fields in
// the handler (complete is false there for a request without a body, as
// node's parser completes the message after 'request'; false, not null,
// for one with a body), the order of prefinish/finish/close and what
// res.socket and writableFinished read before and after, pipelined
// responses, HEAD, end with a callback, a response whose prototype the
// handler replaced (Express does), chunked framing, a body read and one
// left unread, HTTP/1.0; and process.nextTick with every argument count,
// nested ticks and a tick that throws.
const httpLifecycleProgram = `
const http = require('http');
const net = require('net');
const out = [];
const log = (...a) => out.push(a.join(' '));
// nextTick with every argument count, undefined arguments and a throw.
process.nextTick(function () { log('tick0', arguments.length); });
process.nextTick(function () { log('tick1', arguments.length, arguments[0]); }, undefined);
process.nextTick(function (a, b) { log('tick2', arguments.length, a, b); }, 'a', 'b');
process.nextTick(function (a, b, c) { log('tick3', arguments.length, a, b, c); }, 1, 2, 3);
process.nextTick(function (...r) { log('tick5', r.length, r.join()); }, 1, 2, 3, 4, 5);
process.nextTick(function () { process.nextTick((x) => log('nested', x), 'n'); log('outer'); });
let thrown = 0;
process.on('uncaughtException', (e) => { log('uncaught', e.message); thrown++; });
process.nextTick(() => { throw new Error('boom'); });
process.nextTick(() => log('after throw', thrown));

const cases = {
  get(req, res) {
    log('get', req.method, req.httpVersion, req.complete, req.url, res.socket === req.socket);
    res.on('finish', () => log('finish get', res.socket, res.writableFinished));
    res.on('close', () => log('close get', req.destroyed));
    res.on('prefinish', () => log('prefinish get'));
    res.end('one');
    log('after end', res.socket !== null, res.finished, res.headersSent, res.writableEnded, res.writableFinished);
    process.nextTick(() => log('tick after end', res.socket !== null, res.writableFinished));
  },
  quiet(req, res) {
    res.end(Buffer.from('two'));
    log('quiet', res.socket !== null, res.finished);
    setImmediate(() => log('quiet later', res.socket, res.writableFinished, req.complete));
  },
  post(req, res) {
    log('post', req.complete, req.headers['content-length']);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => { log('post end', body, req.complete); res.end('got ' + body); });
  },
  unread(req, res) {
    log('unread', req.complete);
    res.end('not read');
  },
  head(req, res) {
    res.end('body of head');
    log('head', res._hasBody);
  },
  cb(req, res) {
    res.end('with callback', () => log('end callback', res.writableFinished));
  },
  sub(req, res) {
    const proto = Object.create(Object.getPrototypeOf(res));
    proto.extra = function () { return 'extra'; };
    Object.setPrototypeOf(res, proto);
    res.setHeader('X-A', '1');
    res.end(res.extra());
  },
  chunked(req, res) {
    res.write('a');
    res.end('b');
    res.on('finish', () => log('finish chunked'));
  },
};
const server = http.createServer((req, res) => {
  const name = req.url.slice(1).split('?')[0];
  (cases[name] || ((q, s) => { s.statusCode = 404; s.end(); }))(req, res);
});
function fetchRaw(port, text, done) {
  const c = net.connect(port, '127.0.0.1');
  let got = '';
  c.setEncoding('latin1');
  c.on('data', (d) => { got += d; });
  c.on('close', () => { log(got.replace(/Date: [^\r]*\r\n/g, '').replace(/\r\n/g, '|')); done(); });
  c.write(text);
}
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const steps = [
    // Pipelined requests without bodies on one connection.
    'GET /get HTTP/1.1\r\nHost: x\r\n\r\nGET /quiet HTTP/1.1\r\nHost: x\r\n\r\n' +
      'HEAD /head HTTP/1.1\r\nHost: x\r\n\r\nGET /cb HTTP/1.1\r\nHost: x\r\n\r\nGET /sub HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    'POST /unread HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
    'GET /get HTTP/1.0\r\n\r\n',
  ];
  const next = () => {
    const text = steps.shift();
    if (text === undefined) server.close(() => { console.log(out.join('\n')); });
    else fetchRaw(port, text, next);
  };
  next();
});
`

// TestHTTPServerLifecycleDifferential compares httpLifecycleProgram's
// output with node's.
func TestHTTPServerLifecycleDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential lifecycle test needs it")
	}
	runDiff(t, node, httpLifecycleProgram)
}

// httpTicksALSProgram: process.nextTick with 0, 1 and 3 arguments inside
// and outside an AsyncLocalStorage run after async_hooks was loaded with
// no frame entered (the tick queue's frame test is skipped until one is),
// and a response's 'finish' and 'close' in the store of whoever ended it.
const httpTicksALSProgram = `
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const http = require('http');
const out = [];
const log = (...a) => out.push(a.join(' '));
new AsyncResource('early'); // async_hooks in use, no frame entered yet
const als = new AsyncLocalStorage();
process.nextTick(() => log('before', als.getStore()));
als.run('r1', () => {
  process.nextTick((a) => log('in run 1', als.getStore(), a), 'x');
  process.nextTick(() => log('in run 0', als.getStore()));
  process.nextTick((a, b, c) => log('in run 3', als.getStore(), a, b, c), 1, 2, 3);
});
process.nextTick(() => log('outside', als.getStore()));
const server = http.createServer((req, res) => {
  als.run('req' + req.url, () => {
    res.on('finish', () => log('finish', req.url, als.getStore()));
    res.on('close', () => log('close', req.url, als.getStore()));
    if (req.url === '/later') setTimeout(() => res.end('later'), 5);
    else res.end('now');
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const get = (path, done) => http.get({ port, host: '127.0.0.1', path, agent: false }, (res) => {
    res.resume();
    res.on('end', () => { log('got', path, als.getStore()); done(); });
  });
  get('/now', () => get('/later', () => server.close(() => console.log(out.join('\n')))));
});
`

// TestHTTPTicksALSDifferential compares httpTicksALSProgram's output with
// node's.
func TestHTTPTicksALSDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential tick test needs it")
	}
	runDiff(t, node, httpTicksALSProgram)
}

// TestTargetError: request-targets node's parser takes or rejects, with
// its reasons (checked against node 20 byte by byte for each position; the
// differential program difftest/testdata/exjson_nonascii_target.js runs
// the same through a real server under both).
func TestTargetError(t *testing.T) {
	for _, c := range []struct {
		target  string
		connect bool
		want    string
	}{
		{"/", false, ""},
		{"/a/b?c=d&e#f", false, ""},
		{"*", false, ""},
		{"*/a", false, ""},
		{`/a"<>\^` + "`{|}~", false, ""},
		{"/a?b?c#d#e?f", false, ""},
		{"http://h", false, ""},
		{"http://", false, ""},
		{"HTTP://u@h@x:80/p?q#f", false, ""},
		{"http://[::1]:8080/", false, ""},
		{"http://h?q", false, ""},
		{"/caf\xc3\xa9", false, "Invalid char in url path"},
		{"/\x80", false, "Invalid char in url path"},
		{"/a\x7f", false, "Invalid char in url path"},
		{"/a\x00", false, "Invalid char in url path"},
		{"/a?\xff", false, "Invalid char in url query"},
		{"/a#\xe9", false, "Invalid char in url fragment start"},
		{"/a?b#c\x01", false, "Invalid char in url fragment start"},
		{"/a\tb", false, "Invalid characters in url"},
		{"/a\fb", false, "Invalid characters in url"},
		{"\xe9/", false, "Unexpected start char in url"},
		{"1http://h/", false, "Unexpected start char in url"},
		{"a", false, "Invalid characters in url"},
		{"a/b", false, "Unexpected char in url schema"},
		{"ftp+x://h/", false, "Unexpected char in url schema"},
		{"http:", false, "Invalid characters in url"},
		{"http:/", false, "Unexpected char in url schema"},
		{"http:/\t/", false, "Unexpected char in url schema"},
		{"http:\t//", false, "Invalid characters in url"},
		{"http://h\xe9/", false, "Unexpected char in url server"},
		{"http://h#f", false, "Unexpected char in url server"},
		{"http://h|/", false, "Unexpected char in url server"},
		{"http://u@@h/", false, "Double @ in url"},
		{"http://h/\xe9", false, "Invalid char in url path"},
		{"h:443", true, ""},
		{"/x", true, ""},
		{"h\xe9:443", true, "Unexpected char in url server"},
		{"h{:443", true, "Unexpected char in url server"},
	} {
		if got := targetError(c.connect, c.target); got != c.want {
			t.Errorf("targetError(%v, %q) = %q, want %q", c.connect, c.target, got, c.want)
		}
	}
}

// FuzzTargetError: any target is classified without a panic, and one it
// accepts has only the bytes node's parser takes (0x21-0x7E).
func FuzzTargetError(f *testing.F) {
	for _, s := range []string{"/", "*", "http://u@h:1/p?q#f", "/caf\xc3\xa9", "a", "http:", "h:443", "/a\tb"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, target string, connect bool) {
		if targetError(connect, target) != "" {
			return
		}
		for i := 0; i < len(target); i++ {
			if c := target[i]; c < 0x21 || c > 0x7e {
				t.Fatalf("accepted %q with byte %#x", target, c)
			}
		}
	})
}
