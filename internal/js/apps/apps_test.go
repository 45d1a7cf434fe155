package apps

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
)

var jsonHeader = map[string]string{"Content-Type": "application/json"}

// expressRequests exercise routing, params, express.json(), express.static
// (with a conditional request), cookie-parser, the error middleware and 404.
var expressRequests = []request{
	{method: "GET", path: "/"},
	{method: "GET", path: "/users/42?sort=asc&tags=a&tags=b"},
	{method: "POST", path: "/users/7/posts/99", headers: jsonHeader, body: `{"title":"hi","n":[1,2,{"deep":true}]}`},
	{method: "POST", path: "/echo", headers: jsonHeader, body: `{"unicode":"héllo ✓","big":` + strconv.Quote(strings.Repeat("z", 5000)) + `}`},
	{method: "POST", path: "/echo", headers: jsonHeader, body: `{bad json`},
	{method: "GET", path: "/static/hello.txt"},
	{method: "GET", path: "/static/site.css"},
	{method: "HEAD", path: "/static/hello.txt"},
	{method: "GET", path: "/static/hello.txt", headers: map[string]string{"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}},
	{method: "GET", path: "/static/hello.txt", headers: map[string]string{"If-None-Match": "*"}},
	{method: "GET", path: "/static/hello.txt", headers: map[string]string{"Range": "bytes=2-6"}},
	{method: "GET", path: "/static/missing.txt"},
	{method: "GET", path: "/cookies", headers: map[string]string{"Cookie": "a=1; b=two; signed=s%3Av1.khyn8B7KajqBGgVp%2FZAgtgg%2BXhYik8owrDTP%2BN3Yodk"}},
	{method: "GET", path: "/redirect"},
	{method: "GET", path: "/boom"},
	{method: "GET", path: "/async-boom"},
	{method: "GET", path: "/nowhere"},
	{method: "DELETE", path: "/users/1"},
}

func TestExpress4(t *testing.T) {
	setup(t)
	knownFailure(t, "express4")
	logs := compareServer(t, "express.js", expressRequests, len(expressRequests))
	diffText(t, "morgan log", logs["node"], logs["gnode"])
}

func TestExpress5(t *testing.T) {
	setup(t)
	knownFailure(t, "express5")
	logs := compareServer(t, "express.js", expressRequests, len(expressRequests), "EXPRESS=express5")
	diffText(t, "morgan log", logs["node"], logs["gnode"])
}

func TestKoa(t *testing.T) {
	setup(t)
	knownFailure(t, "koa")
	compareServer(t, "koa.js", []request{
		{method: "GET", path: "/"},
		{method: "GET", path: "/items/5?x=1&y=2"},
		{method: "POST", path: "/items", headers: jsonHeader, body: `{"name":"widget","tags":["a","b"]}`},
		{method: "POST", path: "/form", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: "a=1&b=two+words&c=%E2%9C%93"},
		{method: "GET", path: "/boom"},
		{method: "GET", path: "/redirect"},
		{method: "PUT", path: "/items/5"},
		{method: "GET", path: "/nowhere"},
	}, 0)
}

func TestFastify(t *testing.T) {
	setup(t)
	knownFailure(t, "fastify")
	compareServer(t, "fastify.js", []request{
		{method: "GET", path: "/"},
		{method: "GET", path: "/items/5?x=1"},
		{method: "POST", path: "/items", headers: jsonHeader, body: `{"name":"widget","n":3}`},
		{method: "POST", path: "/items", headers: jsonHeader, body: `{"n":"not a number"}`},
		{method: "GET", path: "/text"},
		{method: "GET", path: "/boom"},
		{method: "GET", path: "/nowhere"},
	}, 0)
}

// pairs are the (server, client) runtime combinations the WebSocket apps run
// in; node/node is the reference every other pair must match.
var pairs = [][2]string{{"node", "node"}, {"gnode", "gnode"}, {"gnode", "node"}, {"node", "gnode"}}

// compareClientServer runs server under each pair's first runtime and
// client under its second and compares the client's output with node/node.
func compareClientServer(t *testing.T, server, client string, args ...string) {
	t.Helper()
	var ref string
	for _, pr := range pairs {
		p := start(t, pr[0], server)
		got := runClient(t, pr[1], client, append([]string{strconv.Itoa(p.port)}, args...))
		p.stop()
		if pr == pairs[0] {
			ref = got
			if strings.Contains(ref, "error") || ref == "" {
				t.Fatalf("the reference run under node failed:\n%s", ref)
			}
			continue
		}
		diffText(t, fmt.Sprintf("client output (server under %s, client under %s)", pr[0], pr[1]), ref, got)
	}
}

func TestWebSocketEcho(t *testing.T) {
	setup(t)
	knownFailure(t, "ws")
	compareClientServer(t, "ws_server.js", "ws_client.js")
}

func TestSocketIOChat(t *testing.T) {
	setup(t)
	knownFailure(t, "socket.io")
	for _, transport := range []string{"websocket", "polling"} {
		t.Run(transport, func(t *testing.T) {
			compareClientServer(t, "sio_server.js", "sio_client.js", transport)
		})
	}
}

// localAPI is the server the HTTP client apps talk to.
func localAPI() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"query": r.URL.Query(), "client": r.Header.Get("X-Client"), "method": r.Method})
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"got": string(b), "type": r.Header.Get("Content-Type"), "method": r.Method, "length": r.ContentLength})
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/text", http.StatusFound)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "plain ✓ text")
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		io.WriteString(w, `{"error":"nope"}`)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte{0, 1, 2, 3, 255}, 40000))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, strings.Repeat("compressed ", 100))
		zw.Close()
	})
	return httptest.NewServer(mux)
}

func compareClient(t *testing.T, script string) {
	t.Helper()
	api := localAPI()
	defer api.Close()
	base := "BASE_URL=" + api.URL
	ref := runClient(t, "node", script, nil, base)
	if strings.Contains(ref, "exited") || ref == "" {
		t.Fatalf("the reference run under node failed:\n%s", ref)
	}
	diffText(t, "client output", ref, runClient(t, "gnode", script, nil, base))
}

func TestAxios(t *testing.T) {
	setup(t)
	knownFailure(t, "axios")
	compareClient(t, "axios_client.js")
}

func TestNodeFetch(t *testing.T) {
	setup(t)
	knownFailure(t, "node-fetch")
	compareClient(t, "fetch_client.js")
}

// TestPostgres runs the pg client against the PostgreSQL scripts/test
// starts (GNODE_TEST_POSTGRES_URL).
func TestPostgres(t *testing.T) {
	url := os.Getenv("GNODE_TEST_POSTGRES_URL")
	if url == "" {
		t.Skip("GNODE_TEST_POSTGRES_URL is not set (scripts/test sets it when it starts a private PostgreSQL)")
	}
	setup(t)
	knownFailure(t, "pg")
	pg := "PG_URL=" + url
	ref := runClient(t, "node", "pg_client.js", nil, pg, "PG_TABLE=node")
	if strings.Contains(ref, "exited") || ref == "" {
		t.Fatalf("the reference run under node failed:\n%s", ref)
	}
	diffText(t, "pg client output", ref, runClient(t, "gnode", "pg_client.js", nil, pg, "PG_TABLE=gnode"))
}
