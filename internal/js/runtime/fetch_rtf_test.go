package runtime

// Differential tests of fetch, Headers, Request, Response and FormData:
// each program runs under the system node and under gnode (in-process)
// against the same httptest server and must print the same output.

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// fetchPrelude installs the fetch globals under gnode until bootstrap
// does it (process._requireLib is bootstrap's own hook); under node the
// globals exist and it does nothing.
const fetchPrelude = `if (typeof Response === 'undefined' && process._requireLib) process._requireLib('internal/fetch').install(globalThis);
const BASE = process.argv[2];
const show = (...a) => console.log(JSON.stringify(a));
const hdrs = (h) => [...h].filter(([k]) => k !== 'date' && k !== 'keep-alive' && k !== 'connection');
`

var fetchPrograms = []struct{ name, src string }{
	{"json", `
(async () => {
  const r = await fetch(BASE + '/json');
  show(r.status, r.ok, r.statusText, r.type, r.url === BASE + '/json', r.redirected, r.bodyUsed, hdrs(r.headers));
  show(await r.json(), r.bodyUsed);
  try { await r.text(); } catch (e) { show(e.name, e instanceof TypeError); }
  const r2 = await fetch(BASE + '/status/404');
  show(r2.status, r2.ok, r2.statusText, await r2.text());
  const r3 = await fetch(new URL(BASE + '/json'));
  show(typeof r3.body.getReader, (await r3.arrayBuffer()).byteLength);
  const r4 = await fetch(BASE + '/json');
  const b = await r4.blob();
  show(b.size, b.type, await b.text());
})();
`},
	{"stream", `
(async () => {
  const r = await fetch(BASE + '/chunked');
  const reader = r.body.getReader();
  let text = '', n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n++;
    text += new TextDecoder().decode(value);
  }
  show(text, n >= 1, r.bodyUsed, r.headers.get('transfer-encoding'));
  const r2 = await fetch(BASE + '/chunked');
  const chunks = [];
  for await (const c of r2.body) chunks.push(c.constructor.name);
  show(chunks.length > 0, chunks[0]);
  const r3 = await fetch(BASE + '/chunked');
  const [a, c] = [r3.clone(), r3];
  show(await a.text(), await c.text());
})();
`},
	{"redirect", `
(async () => {
  const r = await fetch(BASE + '/redirect');
  show(r.status, r.redirected, r.url.slice(BASE.length), await r.text());
  const m = await fetch(BASE + '/redirect', { redirect: 'manual' });
  show(m.status, m.redirected, m.headers.get('location'), m.url.slice(BASE.length));
  try { await fetch(BASE + '/redirect', { redirect: 'error' }); } catch (e) { show(e.name, e.message, e.cause && e.cause.message); }
  const p = await fetch(BASE + '/r303', { method: 'POST', body: 'x' });
  show(p.status, p.url.slice(BASE.length), await p.text());
  const q = await fetch(BASE + '/r307', { method: 'PUT', body: 'keep' });
  show(q.status, q.url.slice(BASE.length), await q.text());
})();
`},
	{"abort", `
(async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  try { await fetch(BASE + '/slow', { signal: ac.signal }); } catch (e) { show(e.name, e.message, e.constructor.name); }
  const ac2 = new AbortController();
  ac2.abort(new Error('mine'));
  try { await fetch(BASE + '/json', { signal: ac2.signal }); } catch (e) { show(e.name, e.message); }
  const ac3 = new AbortController();
  const r = await fetch(BASE + '/hang-body', { signal: ac3.signal });
  show(r.status);
  const reader = r.body.getReader();
  show(new TextDecoder().decode((await reader.read()).value));
  ac3.abort();
  try { await reader.read(); show('no error'); } catch (e) { show(e.name, e.message); }
  const ac4 = new AbortController();
  setTimeout(() => ac4.abort('why'), 30);
  try { await fetch(BASE + '/slow', { signal: ac4.signal }); } catch (e) { show(e); }
})();
`},
	{"post", `
(async () => {
  const echo = async (body, init = {}) => {
    const r = await fetch(BASE + '/echo', { method: 'POST', body, ...init });
    const j = await r.json();
    show(j.method, (j.type || '').replace(/boundary=.*/, 'boundary=B'), j.body.replace(/-+formdata-undici-\d+/g, 'B'), j.len);
  };
  await echo('hello');
  await echo(new Uint8Array([104, 105]));
  await echo(new Uint8Array([0, 104, 105, 0]).subarray(1, 3));
  await echo(new Uint16Array([0x6968]).buffer);
  await echo(new Blob(['blob', 'data'], { type: 'text/x-blob' }));
  await echo(new URLSearchParams({ a: '1', b: 'two words' }));
  const fd = new FormData();
  fd.append('field', 'value');
  fd.append('file', new Blob(['filedata'], { type: 'text/plain' }), 'a.txt');
  fd.append('plainblob', new Blob(['x']));
  await echo(fd);
  await echo(JSON.stringify({ k: 1 }), { headers: { 'content-type': 'application/json' } });
  let i = 0;
  const rs = new ReadableStream({ pull(c) { if (i++ < 3) c.enqueue(new TextEncoder().encode('s' + i)); else c.close(); } });
  await echo(rs, { duplex: 'half' });
  await echo('', { method: 'PUT' });
  try { await fetch(BASE + '/echo', { method: 'GET', body: 'x' }); } catch (e) { show(e.name, e.message); }
  const req = new Request(BASE + '/echo', { method: 'post', body: 'from request' });
  show(req.method, req.bodyUsed);
  const r = await fetch(req);
  show(req.bodyUsed, (await r.json()).body);
})();
`},
	{"headers", `
(async () => {
  const r = await fetch(BASE + '/echo', { headers: { 'X-Custom': ' v1 ', 'x-multi': 'a' } });
  const j = await r.json();
  for (const k of ['accept', 'accept-language', 'user-agent', 'accept-encoding', 'sec-fetch-mode', 'x-custom', 'x-multi']) show(k, j.headers[k]);
  const r2 = await fetch(BASE + '/echo', { headers: [['accept', 'text/html'], ['user-agent', 'me']] });
  const j2 = await r2.json();
  show(j2.headers.accept, j2.headers['user-agent']);
  const c = await fetch(BASE + '/cookies');
  show(c.headers.get('set-cookie'), c.headers.getSetCookie(), hdrs(c.headers));
  try { c.headers.set('x', 'y'); } catch (e) { show(e.name, e.message); }
  const h = new Headers([['B', '2'], ['a', '1'], ['b', '3']]);
  h.set('C', ' spaced ');
  h.delete('a');
  show([...h], [...h.keys()], [...h.values()], h.has('B'), h.get('nope'));
  try { new Headers({ 'bad name': 'x' }); } catch (e) { show(e.name, e.message); }
  const seen = [];
  h.forEach((v, k) => seen.push(k + '=' + v));
  show(seen);
})();
`},
	{"encoding", `
(async () => {
  for (const p of ['/gzip', '/deflate', '/rawdeflate', '/br']) {
    const r = await fetch(BASE + p);
    show(p, r.headers.get('content-encoding'), await r.text());
  }
  const r = await fetch(BASE + '/echo', { headers: { 'accept-encoding': 'identity' } });
  show((await r.json()).headers['accept-encoding']);
})();
`},
	{"errors", `
(async () => {
  try { await fetch(BASE.replace(/:\d+$/, ':' + process.argv[3])); } catch (e) {
    show(e.name, e.message, e.cause.name, e.cause.code, e.cause.errno, e.cause.syscall, e.cause.address, e.cause.port === +process.argv[3], e.cause.message.replace(/:\d+$/, ':P'));
  }
  try { await fetch('ftp://x/'); } catch (e) { show(e.message, e.cause && e.cause.message); }
  try { await fetch('not a url'); } catch (e) { show(e.name, e.message); }
  try { Response.redirect(BASE, 200); } catch (e) { show(e.name, e.message); }
  try { new Response('x', { status: 99 }); } catch (e) { show(e.name, e.message); }
  try { new Response('x', { status: 204 }); } catch (e) { show(e.name); }
  try { new Request('http://u:p@h/'); } catch (e) { show(e.name); }
  try { new Request(BASE, { method: 'CONNECT' }); } catch (e) { show(e.name); }
  const e = Response.error();
  show(e.type, e.status, e.ok, e.statusText, e.body);
  const rd = Response.redirect(BASE + '/x', 301);
  show(rd.status, rd.headers.get('location').slice(BASE.length));
  const j = Response.json({ a: [1] }, { status: 201, headers: { 'x-y': 'z' } });
  show(j.status, [...j.headers], await j.text());
  const d = await fetch('data:text/plain;base64,aGVsbG8=');
  show(d.status, d.headers.get('content-type'), await d.text());
})();
`},
	{"forms", `
(async () => {
  const m = await (await fetch(BASE + '/multipart')).formData();
  show([...m.keys()], m.get('a'), m.get('f').name, m.get('f').type, await m.get('f').text());
  const u = await (await fetch(BASE + '/urlencoded')).formData();
  show([...u]);
  const fd = new FormData();
  fd.append('x', '1'); fd.append('x', '2'); fd.set('y', '3'); fd.set('x', '4');
  show([...fd], fd.getAll('x'), fd.has('y'));
  fd.append('f', new File(['abc'], 'n.txt', { type: 'text/plain' }));
  show(fd.get('f') instanceof File, fd.get('f').name, fd.get('f').size);
  const back = await new Response(fd).formData();
  show([...back.keys()], back.get('f').name, await back.get('f').text());
  const h = await fetch(BASE + '/json', { method: 'HEAD' });
  show(h.status, h.body, await h.text());
  const n = await fetch(BASE + '/nocontent');
  show(n.status, n.body, await n.text());
  const req = new Request(BASE + '/x', { method: 'patch', headers: { a: 'b' }, body: 'q' });
  const cl = req.clone();
  show(req.method, req.url.slice(BASE.length), req.redirect, req.mode, req.credentials, req.cache, await cl.text(), await req.text());
})();
`},
	{"misc", `
(async () => {
  const big = await fetch(BASE + '/big');
  show((await big.arrayBuffer()).byteLength);
  const un = await fetch(BASE + '/big'); // never read: must not keep the process alive
  show(un.status, un.bodyUsed);
  try { await fetch(BASE + '/slow', { signal: AbortSignal.timeout(50) }); } catch (e) { show(e.name, e.message); }
  show(Object.prototype.toString.call(new Headers()), String(new Response('x')), String(new Request(BASE)));
  const r = new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } }));
  show(await r.text(), r.bodyUsed);
  const rr = await fetch(BASE + '/json');
  const reader = rr.body.getReader();
  await reader.read();
  try { await rr.text(); } catch (e) { show(e.name); }
})();
`},
	{"inspect", `
console.log(new Request(BASE + '/x', { headers: { 'X-B': '1', a: '2' } }));
const fd = new FormData(); fd.append('a', '1'); fd.append('a', '2'); fd.append('b', '3');
console.log(fd, new Headers({ b: '1', a: '2' }), [Response.error()], { deep: { r: new Response(null, { status: 201 }) } });
`},
	{"truncated", `
(async () => {
  const r = await fetch(BASE + '/truncated');
  show(r.status, r.headers.get('content-length'));
  try { await r.text(); show('no error'); } catch (e) { show(e.name, e.message, e.cause && e.cause.name, e.cause && e.cause.code, e.cause && e.cause.message); }
})();
`},
}

func fetchServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Thing", "1")
		io.WriteString(w, `{"hello":"world","n":[1,2]}`)
	})
	mux.HandleFunc("/status/404", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		io.WriteString(w, "nope")
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 5; i++ {
			fmt.Fprintf(w, "part%d;", i)
			w.(http.Flusher).Flush()
			time.Sleep(5 * time.Millisecond)
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/json", 302) })
	mux.HandleFunc("/r303", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/echo", 303) })
	mux.HandleFunc("/r307", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/echo", 307) })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h := map[string]string{}
		for k, v := range r.Header {
			// connection is hop-by-hop: Go's server consumes it.
			if k != "Connection" {
				h[strings.ToLower(k)] = strings.Join(v, ", ")
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"method":%q,"type":%q,"body":%q,"len":%d,"headers":%s}`, r.Method, r.Header.Get("Content-Type"), b, len(b), jsonMap(h))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/hang-body", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "a=1; Path=/")
		w.Header().Add("Set-Cookie", "b=2")
		w.Header().Add("X-Dup", "1")
		w.Header().Add("X-Dup", "2")
		w.Header().Set("Content-Length", "0")
	})
	const text = "compressed body, compressed body, compressed body"
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		z := gzip.NewWriter(w)
		io.WriteString(z, text)
		z.Close()
	})
	mux.HandleFunc("/deflate", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		z := zlib.NewWriter(w)
		io.WriteString(z, text)
		z.Close()
	})
	mux.HandleFunc("/rawdeflate", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		z := zlib.NewWriter(&buf)
		io.WriteString(z, text)
		z.Close()
		w.Header().Set("Content-Encoding", "deflate")
		b := buf.Bytes()
		w.Write(b[2 : len(b)-4]) // strip the zlib wrapper: raw deflate
	})
	mux.HandleFunc("/br", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		z := brotli.NewWriter(w)
		io.WriteString(z, text)
		z.Close()
	})
	mux.HandleFunc("/multipart", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "multipart/form-data; boundary=XyZ")
		io.WriteString(w, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nalpha\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\nContent-Type: application/x-thing\r\n\r\nFILE\r\n--XyZ--\r\n")
	})
	mux.HandleFunc("/urlencoded", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		io.WriteString(w, "a=1&b=two+words&a=3")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("a"), 3<<20))
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "only ten!!")
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func jsonMap(m map[string]string) string {
	var b strings.Builder
	b.WriteString("{")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	first := true
	for _, k := range keys {
		v := m[k]
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "%q:%q", k, v)
	}
	b.WriteString("}")
	return b.String()
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	return port
}

// runDiff runs src under node and gnode with args and compares stdout.
func runDiff(t *testing.T, node, src string, args ...string) {
	t.Helper()
	runDiffEnv(t, node, nil, src, args...)
}

// runDiffEnv is runDiff with extra environment variables for both runs.
func runDiffEnv(t *testing.T, node string, env []string, src string, args ...string) {
	t.Helper()
	env = append(os.Environ(), env...)
	dir := t.TempDir()
	file := filepath.Join(dir, "prog.js")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{file}, args...)...)
	var nout, nerr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &nout, &nerr
	cmd.Env = env
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v\n%s", err, nerr.String())
	}
	var gout, gerr bytes.Buffer
	code := Run(Options{Script: file, Args: args, Stdout: &gout, Stderr: &gerr, Cwd: dir, Env: env})
	if code != 0 {
		t.Errorf("gnode exit code %d\n%s", code, gerr.String())
	}
	if nout.String() != gout.String() {
		t.Errorf("output differs\n--- node\n%s--- gnode\n%s--- gnode stderr\n%s", nout.String(), gout.String(), gerr.String())
	}
}

func TestFetchDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: differential fetch tests need it")
	}
	srv := fetchServer(t)
	for _, p := range fetchPrograms {
		t.Run(p.name, func(t *testing.T) {
			runDiff(t, node, fetchPrelude+p.src, srv.URL, closedPort(t))
		})
	}
}

func TestFetchTLSDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: differential fetch tests need it")
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tls %s %s", r.Method, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, block, 0o644); err != nil {
		t.Fatal(err)
	}
	trusted := fetchPrelude + `
(async () => {
  const r = await fetch(BASE + '/secure', { method: 'POST', body: 'x' });
  show(r.status, r.url.startsWith('https://'), await r.text());
})();
`
	untrusted := fetchPrelude + `
(async () => {
  try { await fetch(BASE + '/x'); show('no error'); } catch (e) { show(e.name, e.message, !!e.cause); }
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const r = await fetch(BASE + '/insecure');
  show(r.status, await r.text());
})();
`
	t.Run("extra-ca", func(t *testing.T) { runDiffEnv(t, node, []string{"NODE_EXTRA_CA_CERTS=" + ca}, trusted, srv.URL) })
	t.Run("untrusted", func(t *testing.T) { runDiffEnv(t, node, nil, untrusted, srv.URL) })
}

func TestCloseFetchCancelsPending(t *testing.T) {
	canceled := make(chan struct{})
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
		close(canceled)
	}))
	t.Cleanup(srv.Close)
	r := &rt{}
	ctx, cancel := context.WithCancel(context.Background())
	fs := r.fetchStateNoLoop()
	fs.reqs[1] = &fetchReq{cancel: cancel}
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-arrived
	r.closeFetch()
	select {
	case <-canceled:
	case <-time.After(10 * time.Second):
		t.Fatal("closeFetch did not cancel the pending request")
	}
	fetchStatesMu.Lock()
	_, left := fetchStates[r]
	fetchStatesMu.Unlock()
	if left {
		t.Error("closeFetch left the run's state behind")
	}
}
