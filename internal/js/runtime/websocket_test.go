package runtime

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gnode/internal/testutil/npmfixture"
)

// wsEchoServer is a minimal RFC 6455 server: it echoes text and binary
// messages, pings once after the handshake, answers a close and records
// what it saw (every client frame must be masked).
type wsEchoServer struct {
	mu  sync.Mutex
	log []string
}

func (s *wsEchoServer) note(format string, a ...any) {
	s.mu.Lock()
	s.log = append(s.log, fmt.Sprintf(format, a...))
	s.mu.Unlock()
}

func wsFrame(opcode byte, payload []byte) []byte {
	var b bytes.Buffer
	b.WriteByte(0x80 | opcode)
	switch n := len(payload); {
	case n < 126:
		b.WriteByte(byte(n))
	case n < 65536:
		b.WriteByte(126)
		binary.Write(&b, binary.BigEndian, uint16(n))
	default:
		b.WriteByte(127)
		binary.Write(&b, binary.BigEndian, uint64(n))
	}
	b.Write(payload)
	return b.Bytes()
}

func (s *wsEchoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "not a websocket request", http.StatusBadRequest)
		return
	}
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, rw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	rw.Write(wsFrame(0x9, []byte("hi")))
	rw.Flush()
	s.note("handshake %s", r.URL.RequestURI())
	br := bufio.NewReader(rw)
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			s.note("eof")
			return
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var x uint16
			binary.Read(br, binary.BigEndian, &x)
			n = uint64(x)
		case 127:
			binary.Read(br, binary.BigEndian, &n)
		}
		if h[1]&0x80 == 0 {
			s.note("unmasked frame")
			return
		}
		var mask [4]byte
		io.ReadFull(br, mask[:])
		p := make([]byte, n)
		io.ReadFull(br, p)
		for i := range p {
			p[i] ^= mask[i%4]
		}
		switch op := h[0] & 0xf; op {
		case 0x1, 0x2:
			s.note("message %d %d", op, len(p))
			rw.Write(wsFrame(op, p))
		case 0xa:
			s.note("pong %s", p)
		case 0x8:
			s.note("close %d %s", binary.BigEndian.Uint16(p), p[2:])
			rw.Write(wsFrame(0x8, p[:2]))
			rw.Flush()
			return
		}
		rw.Flush()
	}
}

const wsClientScript = `
const ws = new WebSocket(process.env.WS_URL + '/chat?x=1');
ws.binaryType = 'arraybuffer';
ws.onopen = () => {
  ws.send('hello');
  ws.send(new Uint8Array(70000).fill(7));
  ws.send('done');
};
ws.onmessage = (e) => {
  console.log('message', typeof e.data === 'string' ? e.data : 'binary ' + e.data.byteLength + ' ' + new Uint8Array(e.data)[69999]);
  if (e.data === 'done') ws.close(3001, 'finished');
};
ws.onerror = (e) => console.log('error', e.message);
ws.onclose = (e) => console.log('close', e.wasClean, e.code, JSON.stringify(e.reason), ws.readyState);
`

// TestWebSocketGoServer runs the global WebSocket client against a Go
// server over ws:// and wss:// (NODE_TLS_REJECT_UNAUTHORIZED=0 for the
// test certificate).
func TestWebSocketGoServer(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("secure=%v", secure), func(t *testing.T) {
			srv := &wsEchoServer{}
			var hs *httptest.Server
			scheme := "ws"
			if secure {
				hs, scheme = httptest.NewTLSServer(srv), "wss"
			} else {
				hs = httptest.NewServer(srv)
			}
			defer hs.Close()
			dir := t.TempDir()
			script := filepath.Join(dir, "client.js")
			os.WriteFile(script, []byte(wsClientScript), 0o644)
			host := strings.TrimPrefix(strings.TrimPrefix(hs.URL, "https://"), "http://")
			var out, errb bytes.Buffer
			code := Run(Options{Script: script, Cwd: dir, Stdout: &out, Stderr: &errb,
				Env: []string{"WS_URL=" + scheme + "://" + host, "NODE_TLS_REJECT_UNAUTHORIZED=0"}})
			want := "message hello\nmessage binary 70000 7\nmessage done\nclose true 3001 \"\" 3\n"
			if code != 0 || out.String() != want {
				t.Errorf("exit %d\n--- got\n%s--- want\n%s--- stderr\n%s", code, out.String(), want, errb.String())
			}
			hs.Close()
			srv.mu.Lock()
			defer srv.mu.Unlock()
			// The pong may come before or after the messages.
			sort.Strings(srv.log)
			log := strings.Join(srv.log, "\n")
			wantLog := "close 3001 finished\nhandshake /chat?x=1\nmessage 1 4\nmessage 1 5\nmessage 2 70000\npong hi"
			if log != wantLog {
				t.Errorf("server saw\n%s\nwant\n%s", log, wantLog)
			}
		})
	}
}

// TestWebSocketWSPackage runs the same program, a ws package server with
// the global client, under node (--experimental-websocket: node 20 has the
// client behind a flag) and under gnode, and compares the output.
func TestWebSocketWSPackage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential test needs it")
	}
	dir := npmfixture.Install(t, "testdata/websocket", "package.json", "ws_roundtrip.js")
	script := filepath.Join(dir, "ws_roundtrip.js")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--experimental-websocket", "--no-warnings", script)
	cmd.Dir = dir
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var out, errb bytes.Buffer
	code := Run(Options{Script: script, Cwd: dir, Stdout: &out, Stderr: &errb, Env: os.Environ()})
	if code != 0 || out.String() != string(want) {
		t.Errorf("exit %d\n--- node\n%s--- gnode\n%s--- gnode stderr\n%s", code, want, out.String(), errb.String())
	}
}
