package runtime

import (
	"bufio"
	"errors"
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
		{name: "smuggling", in: "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", server: true, errCode: "HPE_UNEXPECTED_CONTENT_LENGTH"},
		{name: "conflicting lengths", in: "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", server: true, errCode: "HPE_UNEXPECTED_CONTENT_LENGTH"},
		{name: "negative length", in: "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", server: true, errCode: "HPE_UNEXPECTED_CONTENT_LENGTH"},
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
