package runtime

// The HTTP/1.1 parser of the tcp binding. gnode parses HTTP in Go on the
// socket's read goroutine (QuickJS interprets JavaScript, so a byte-level
// parser in JS would cost more than the rest of a request): the loop gets
// one event per message head, with the raw header list, then body chunks
// already de-chunked, then the end with any trailers. Writing stays in
// JavaScript (lib/_http_outgoing.js), which builds the head text and the
// chunked framing.

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
	_ "unsafe" // go:linkname

	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
)

// Head flags.
const (
	hfKeepAlive = 1
	hfUpgrade   = 2
	hfNoBody    = 4
	hfInfo      = 8
	hfExpect    = 16 // server: the request has an Expect header
	hfV11       = 32 // server: the request is HTTP/1.1
)

// maxHeaderSize is Node's default --max-http-header-size.
const maxHeaderSize = 16 << 10

type httpParseError struct{ msg, code string }

func (e *httpParseError) Error() string { return e.msg }

func parseErr(code, msg string) error { return &httpParseError{msg: msg, code: code} }

// errEOFState: the client closed its side in the middle of a request
// head, which node's parser reports as a parse error (clientError), not
// as the end of the connection.
var errEOFState = parseErr("HPE_INVALID_EOF_STATE", "Invalid EOF state")

// readLine reads one CRLF (or LF) terminated line, counting against budget.
func (s *tcpSock) readLine(budget *int) (string, error) { return readLineFrom(s.br, budget) }

// readLineFrom is readLine from br.
func readLineFrom(br *bufio.Reader, budget *int) (string, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return "", io.ErrUnexpectedEOF
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", parseErr("HPE_HEADER_OVERFLOW", "Header overflow")
		}
		return "", err
	}
	*budget -= len(line)
	if *budget < 0 {
		return "", parseErr("HPE_HEADER_OVERFLOW", "Header overflow")
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
	return string(line), nil
}

type httpHead struct {
	first          [3]string // method url proto, or proto status reason
	major, minor   int
	raw            []string
	chunked        bool
	contentLength  int64 // -1 when absent
	connClose      bool
	connKeepAlive  bool
	connUpgrade    bool
	hasUpgradeHdr  bool
	expect         bool
	statusCode     int
	transferEncode bool
}

func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func parseVersion(p string) (int, int, bool) {
	if len(p) != 8 || !strings.HasPrefix(p, "HTTP/") || p[6] != '.' || p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9' {
		return 0, 0, false
	}
	return int(p[5] - '0'), int(p[7] - '0'), true
}

// readHead reads a request (server) or response (client) head.
func (s *tcpSock) readHead(server bool) (*httpHead, error) { return readHeadFrom(s.br, server) }

// readHeadFrom reads a request (server) or response (client) head from br.
// httpMethods are the request methods llhttp (and so node 20's server)
// accepts: http.METHODS; any other method is HPE_INVALID_METHOD.
var httpMethods = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Fields(`ACL BIND CHECKOUT CONNECT COPY DELETE GET HEAD LINK LOCK M-SEARCH
MERGE MKACTIVITY MKCALENDAR MKCOL MOVE NOTIFY OPTIONS PATCH POST PROPFIND PROPPATCH PURGE PUT
QUERY REBIND REPORT SEARCH SOURCE SUBSCRIBE TRACE UNBIND UNLINK UNLOCK UNSUBSCRIBE`) {
		m[name] = true
	}
	return m
})

// The states of targetError's walk over a request-target.
const (
	urlStart    = iota
	urlSchema   // letters before ':'
	urlSlash1   // after "scheme:"
	urlSlash2   // after "scheme:/"
	urlServer   // authority (CONNECT's whole target)
	urlServerAt // authority right after '@'
	urlPath     // also "*"
	urlQuery
	urlFragment
)

// urlChar marks the bytes node's parser takes in a path, query or
// fragment (0x21-0x7E: no controls, DEL or bytes of 0x80 and up);
// urlServerChar those it takes in an authority.
var urlChar, urlServerChar [256]bool

func init() {
	for c := 0x21; c <= 0x7e; c++ {
		urlChar[c] = true
		urlServerChar[c] = !strings.ContainsRune("\"#<>\\^`{|}", rune(c))
	}
}

// targetError is the reason node's HTTP parser (llhttp, strict) rejects a
// request-target with HPE_INVALID_URL, "" when it takes it: origin form
// ("/path?query#fragment"), "*", absolute form ("scheme://authority/...")
// and CONNECT's authority form. Node answers such a request 400 and closes
// the connection; a target with raw bytes of 0x80 or more (unencoded
// UTF-8) is the common case. A tab or form feed has its own reason.
func targetError(connect bool, t string) string {
	st := urlStart
	if connect {
		st = urlServer
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '\t' || c == '\f' {
			if st == urlSlash2 {
				return "Unexpected char in url schema"
			}
			return "Invalid characters in url"
		}
		switch st {
		case urlStart:
			switch {
			case c == '/' || c == '*':
				st = urlPath
			case 'a' <= c|0x20 && c|0x20 <= 'z':
				st = urlSchema
			default:
				return "Unexpected start char in url"
			}
		case urlSchema:
			if c == ':' {
				st = urlSlash1
			} else if !('a' <= c|0x20 && c|0x20 <= 'z') {
				return "Unexpected char in url schema"
			}
		case urlSlash1, urlSlash2:
			if c != '/' {
				return "Unexpected char in url schema"
			}
			st++
		case urlServer, urlServerAt:
			switch {
			case c == '/':
				st = urlPath
			case c == '?':
				st = urlQuery
			case c == '@':
				if st == urlServerAt {
					return "Double @ in url"
				}
				st = urlServerAt
			case urlServerChar[c]:
				st = urlServer
			default:
				return "Unexpected char in url server"
			}
		case urlPath:
			if c == '?' {
				st = urlQuery
			} else if c == '#' {
				st = urlFragment
			} else if !urlChar[c] {
				return "Invalid char in url path"
			}
		case urlQuery:
			if c == '#' {
				st = urlFragment
			} else if !urlChar[c] {
				return "Invalid char in url query"
			}
		case urlFragment:
			if !urlChar[c] {
				return "Invalid char in url fragment start"
			}
		}
	}
	// The space before the version ends the target.
	switch st {
	case urlSchema, urlSlash1:
		return "Invalid characters in url"
	case urlSlash2:
		return "Unexpected char in url schema"
	}
	return ""
}

func readHeadFrom(br *bufio.Reader, server bool) (*httpHead, error) {
	h := &httpHead{}
	if err := parseHead(headSrc{br: br}, server, h); err != nil {
		return nil, err
	}
	return h, nil
}

// headSrc yields a head's lines: from a bufio.Reader (the reader
// goroutine), or from a complete head held as one string (the loop, whose
// lines are then substrings of it: one allocation per head, not one per
// line).
type headSrc struct {
	br *bufio.Reader
	s  string
}

// line is readLineFrom for either source.
func (src *headSrc) line(budget *int) (string, error) {
	if src.br != nil {
		return readLineFrom(src.br, budget)
	}
	i := strings.IndexByte(src.s, '\n')
	if i < 0 {
		// Not reached: the loop hands over heads through their empty line.
		return "", io.ErrUnexpectedEOF
	}
	line := src.s[:i]
	src.s = src.s[i+1:]
	*budget -= i + 1
	if *budget < 0 {
		return "", parseErr("HPE_HEADER_OVERFLOW", "Header overflow")
	}
	return strings.TrimSuffix(line, "\r"), nil
}

// parseHead reads a request (server) or response (client) head from src
// into h, which it resets first (keeping h.raw's array).
func parseHead(src headSrc, server bool, h *httpHead) error {
	*h = httpHead{contentLength: -1, raw: h.raw[:0]}
	budget := maxHeaderSize
	var line string
	var err error
	for {
		line, err = src.line(&budget)
		if err != nil {
			if server && errors.Is(err, io.ErrUnexpectedEOF) {
				return errEOFState
			}
			return err
		}
		if line != "" {
			break
		}
	}
	if server {
		sp1 := strings.IndexByte(line, ' ')
		sp2 := strings.LastIndexByte(line, ' ')
		if sp1 <= 0 || sp2 <= sp1 {
			return parseErr("HPE_INVALID_METHOD", "Invalid method encountered")
		}
		h.first = [3]string{line[:sp1], line[sp1+1 : sp2], line[sp2+1:]}
		if !httpMethods()[h.first[0]] {
			return parseErr("HPE_INVALID_METHOD", "Invalid method encountered")
		}
		var ok bool
		if h.major, h.minor, ok = parseVersion(h.first[2]); !ok {
			return parseErr("HPE_INVALID_VERSION", "Invalid HTTP version")
		}
		if h.first[1] == "" || strings.IndexByte(h.first[1], ' ') >= 0 {
			return parseErr("HPE_INVALID_URL", "Invalid URL")
		}
		if reason := targetError(h.first[0] == "CONNECT", h.first[1]); reason != "" {
			return parseErr("HPE_INVALID_URL", reason)
		}
	} else {
		parts := strings.SplitN(line, " ", 3)
		if len(parts) < 2 {
			return parseErr("HPE_INVALID_CONSTANT", "Expected HTTP/")
		}
		var ok bool
		if h.major, h.minor, ok = parseVersion(parts[0]); !ok {
			return parseErr("HPE_INVALID_CONSTANT", "Expected HTTP/")
		}
		code, err := strconv.Atoi(parts[1])
		if err != nil || len(parts[1]) != 3 {
			return parseErr("HPE_INVALID_STATUS", "Invalid status code")
		}
		h.statusCode = code
		h.first[0], h.first[1] = parts[0], parts[1]
		if len(parts) == 3 {
			h.first[2] = parts[2]
		}
	}
	for {
		line, err = src.line(&budget)
		if err != nil {
			if server && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
				return errEOFState
			}
			return err
		}
		if line == "" {
			break
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || !validToken(line[:colon]) {
			return parseErr("HPE_INVALID_HEADER_TOKEN", "Invalid header token")
		}
		name := line[:colon]
		value := strings.Trim(line[colon+1:], " \t")
		if strings.ContainsAny(value, "\x00\r\n") {
			return parseErr("HPE_INVALID_HEADER_TOKEN", "Invalid header value char")
		}
		h.raw = append(h.raw, name, value)
		switch framingHeader(name) {
		case "content-length":
			// llhttp's checks and messages, in its order: the request
			// smuggling guards depend on which header came first.
			if value == "" {
				return parseErr("HPE_INVALID_CONTENT_LENGTH", "Empty Content-Length")
			}
			n, err := strconv.ParseUint(value, 10, 63)
			if err != nil || value[0] == '+' {
				return parseErr("HPE_INVALID_CONTENT_LENGTH", "Invalid character in Content-Length")
			}
			if h.contentLength >= 0 {
				return parseErr("HPE_UNEXPECTED_CONTENT_LENGTH", "Duplicate Content-Length")
			}
			if server && h.transferEncode {
				return parseErr("HPE_INVALID_CONTENT_LENGTH", "Content-Length can't be present with Transfer-Encoding")
			}
			h.contentLength = int64(n)
		case "transfer-encoding":
			if server && h.contentLength >= 0 {
				return parseErr("HPE_INVALID_TRANSFER_ENCODING", "Transfer-Encoding can't be present with Content-Length")
			}
			h.transferEncode = true
			te := strings.ToLower(value)
			h.chunked = strings.HasSuffix(strings.TrimSpace(te), "chunked")
		case "connection":
			// Comma-separated tokens, compared without a lower-cased copy.
			for rest := value; rest != ""; {
				tok := rest
				if i := strings.IndexByte(rest, ','); i >= 0 {
					tok, rest = rest[:i], rest[i+1:]
				} else {
					rest = ""
				}
				switch tok = strings.TrimSpace(tok); {
				case asciiFoldIs(tok, "close"):
					h.connClose = true
				case asciiFoldIs(tok, "keep-alive"):
					h.connKeepAlive = true
				case asciiFoldIs(tok, "upgrade"):
					h.connUpgrade = true
				}
			}
		case "upgrade":
			h.hasUpgradeHdr = true
		case "expect":
			h.expect = true
		}
	}
	return nil
}

// asciiFoldIs reports whether s is lower with ASCII letters in either case
// (strings.EqualFold would also fold non-ASCII letters such as U+212A
// KELVIN SIGN to k, which the parser must not).
func asciiFoldIs(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// framingHeader returns the lower-case name of the headers readHead acts
// on, "" for any other (no lower-cased copy of every header name).
func framingHeader(name string) string {
	for _, k := range [...]string{"content-length", "transfer-encoding", "connection", "upgrade", "expect"} {
		if len(name) == len(k) && strings.EqualFold(name, k) {
			return k
		}
	}
	return ""
}

func (h *httpHead) keepAlive() bool {
	if h.major > 1 || (h.major == 1 && h.minor >= 1) {
		return !h.connClose
	}
	return h.connKeepAlive && !h.connClose
}

// classify works out how a parsed head's message goes on: its flags for
// evHead, how its body is framed (0 none, 1 Content-Length, 2 chunked, 3
// until EOF) and whether the connection switches protocols.
func (s *tcpSock) classify(h *httpHead, server bool) (flags int32, bodyKind int, upgrade bool) {
	if h.keepAlive() {
		flags |= hfKeepAlive
	}
	if server {
		if h.first[0] == "CONNECT" || (h.connUpgrade && h.hasUpgradeHdr) {
			upgrade = true
		}
		switch {
		case h.chunked:
			bodyKind = 2
		case h.contentLength > 0:
			bodyKind = 1
		}
	} else {
		s.mu.Lock()
		headReq := s.expectsNo
		s.mu.Unlock()
		code := h.statusCode
		switch {
		case code == 101:
			upgrade = true
		case code >= 100 && code < 200:
			flags |= hfInfo
		case headReq || code == 204 || code == 304:
		case h.chunked:
			bodyKind = 2
		case h.contentLength >= 0:
			if h.contentLength > 0 {
				bodyKind = 1
			}
		default:
			bodyKind = 3
			flags &^= hfKeepAlive
		}
	}
	if upgrade {
		flags |= hfUpgrade
	}
	if server && h.expect {
		flags |= hfExpect
	}
	if server && h.major == 1 && h.minor == 1 {
		flags |= hfV11
	}
	if bodyKind == 0 {
		flags |= hfNoBody
	}
	return flags, bodyKind, upgrade
}

// headArgs are evHead's arguments for h (loop goroutine); head is the
// bytes after an upgrade's head (nil when there is no upgrade). The slice
// is ns.hargs, valid until the next call (netEmitTo copies it first).
func (s *tcpSock) headArgs(h *httpHead, server bool, flags int32, head []byte) []qjs.Value {
	vm, ns := s.r.vm, s.ns
	var first0, first1 qjs.Value
	if server {
		first0, first1 = ns.str(vm, h.first[0]), ns.str(vm, h.first[1])
	} else {
		first0, first1 = qjs.Int(int32(h.statusCode)), ns.str(vm, h.first[2])
	}
	hv := qjs.Undefined
	if head != nil {
		hv = vm.NewUint8Array(head)
	}
	vals := ns.hvals[:0]
	for _, x := range h.raw {
		vals = append(vals, ns.str(vm, x))
	}
	raw := vm.ArrayOf(vals...) // one engine call for up to 64 values
	clear(vals)
	ns.hvals = vals[:0]
	ns.hargs = [7]qjs.Value{first0, first1, qjs.Int(int32(h.major)), qjs.Int(int32(h.minor)), raw, qjs.Int(flags), hv}
	return ns.hargs[:]
}

// readHTTP parses one message and delivers it; in a raw switch (upgrade)
// it changes the socket's mode.
func (s *tcpSock) readHTTP(server bool, buf []byte) error {
	h, err := s.readHead(server)
	if err != nil {
		return err
	}
	flags, bodyKind, upgrade := s.classify(h, server)
	var head []byte
	if upgrade {
		s.mu.Lock()
		s.mode = modeRaw
		s.mu.Unlock()
		if n := s.br.Buffered(); n > 0 {
			head = make([]byte, n)
			io.ReadFull(s.br, head)
		} else {
			head = []byte{}
		}
	} else if !server && flags&hfInfo == 0 && bodyKind == 0 {
		s.mu.Lock()
		s.mode = modeRaw
		s.mu.Unlock()
	}
	s.post(evHead, func() []qjs.Value { return s.headArgs(h, server, flags, head) })
	if upgrade || bodyKind == 0 {
		return nil
	}
	// The response ends the exchange: stray bytes after it are raw. The
	// switch happens before the end is posted: once JavaScript sees the
	// end, the agent may hand the socket to the next request, whose
	// setMode(client) must not be undone by this goroutine afterwards (a
	// starved reader that switched after posting turned the next response
	// into raw data nobody reads: the request hung).
	endExchange := func() {
		if !server {
			s.mu.Lock()
			s.mode = modeRaw
			s.mu.Unlock()
		}
	}
	sendChunk := func(b []byte) bool {
		c := append([]byte(nil), b...)
		s.post(evBody, func() []qjs.Value { return []qjs.Value{s.r.vm.NewUint8Array(c)} })
		_, ok := s.waitReading()
		return ok
	}
	var trailers []string
	switch bodyKind {
	case 1:
		left := h.contentLength
		for left > 0 {
			n := int64(len(buf))
			if n > left {
				n = left
			}
			m, err := s.br.Read(buf[:n])
			if m > 0 {
				left -= int64(m)
				if !sendChunk(buf[:m]) {
					return io.EOF
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return io.ErrUnexpectedEOF
				}
				return err
			}
		}
	case 2:
		budget := maxHeaderSize
		for {
			line, err := s.readLine(&budget)
			if err != nil {
				return err
			}
			if i := strings.IndexByte(line, ';'); i >= 0 {
				line = line[:i]
			}
			size, err := strconv.ParseInt(strings.TrimSpace(line), 16, 64)
			if err != nil || size < 0 {
				return parseErr("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size")
			}
			budget = maxHeaderSize
			if size == 0 {
				for {
					tl, err := s.readLine(&budget)
					if err != nil {
						return err
					}
					if tl == "" {
						break
					}
					if c := strings.IndexByte(tl, ':'); c > 0 {
						trailers = append(trailers, tl[:c], strings.Trim(tl[c+1:], " \t"))
					}
				}
				break
			}
			for size > 0 {
				n := int64(len(buf))
				if n > size {
					n = size
				}
				m, err := s.br.Read(buf[:n])
				if m > 0 {
					size -= int64(m)
					if !sendChunk(buf[:m]) {
						return io.EOF
					}
				}
				if err != nil {
					if errors.Is(err, io.EOF) {
						return io.ErrUnexpectedEOF
					}
					return err
				}
			}
			crlf, err := s.readLine(&budget)
			if err != nil {
				return err
			}
			if crlf != "" {
				return parseErr("HPE_STRICT", "Expected CRLF after chunk")
			}
		}
	case 3:
		for {
			m, err := s.br.Read(buf)
			if m > 0 && !sendChunk(buf[:m]) {
				return io.EOF
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					return err
				}
				endExchange()
				s.post(evBodyEnd, func() []qjs.Value { return []qjs.Value{s.r.vm.StringArray(nil)} })
				return io.EOF
			}
		}
	}
	endExchange()
	s.post(evBodyEnd, func() []qjs.Value {
		vm := s.r.vm
		vals := make([]qjs.Value, len(trailers))
		for i, t := range trailers {
			vals[i] = headerString(vm, t)
		}
		return []qjs.Value{vm.ArrayOf(vals...)}
	})
	if !server && afterResponseEnd != nil {
		afterResponseEnd()
	}
	return nil
}

// headerString makes a JavaScript string of a message head's bytes as
// node's parser does: one code unit per byte (Latin-1), so a raw 0xE9
// is "é" and the UTF-8 bytes of "é" are two characters, not one.
func headerString(vm *qjs.VM, s string) qjs.Value {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return vm.Latin1String([]byte(s))
		}
	}
	return vm.String(s)
}

// Strings of message heads are cached per run: a client sends the same
// header names, and mostly the same values (Host, User-Agent, Accept) and
// methods, request after request, and a cached string costs a reference
// count instead of a string made in the engine. Only short strings are
// kept, and only the first maxCachedStrs seen (a server whose URLs are
// all different keeps its first ones and makes the rest as before).
const (
	maxCachedStrLen = 64
	maxCachedStrs   = 1024
)

// str returns s as a JavaScript string (owned), from the cache when it
// is there.
func (ns *netState) str(vm *qjs.VM, s string) qjs.Value {
	if len(s) > maxCachedStrLen {
		return headerString(vm, s)
	}
	if v, ok := ns.strs[s]; ok {
		return vm.Dup(v)
	}
	v := headerString(vm, s)
	if len(ns.strs) < maxCachedStrs {
		if ns.strs == nil {
			ns.strs = map[string]qjs.Value{}
		}
		// s may point into a read buffer (loopRequest): the key is a copy.
		ns.strs[strings.Clone(s)] = vm.Dup(v)
	}
	return v
}

// freeStrs releases the cached strings and the handles' objects
// (setHandle) when the run is closing.
func (ns *netState) freeStrs(vm *qjs.VM) {
	for _, v := range ns.strs {
		vm.Free(v)
	}
	ns.strs = nil
	for _, v := range ns.objs {
		vm.Free(v)
	}
	ns.objs = nil
}

// writeHTTP(id, head, body, reqId) writes an HTTP message head and its body
// in one write, as write() does (same results). body is a string (sent as
// UTF-8), a Uint8Array, or undefined. The head is sent as node sends it:
// in the body's encoding (UTF-8) when the body is a string, which node
// concatenates to the head, and as Latin-1 otherwise. One call replaces
// concatenating head and body in JavaScript and re-encoding the result.
func bindHTTPWrite(r *rt, obj qjs.Value) {
	r.fn(obj, "writeHTTP", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		s, err := r.sockArg(a)
		if err != nil || s.isClosed() {
			return qjs.False, nil
		}
		buf := s.ns.scratch[:0]
		body := qjs.Arg(a, 2)
		// A string body goes out with its head as UTF-8 (node writes the
		// head joined to the first string chunk in the chunk's encoding);
		// an empty one is no body (node writes the head alone, as
		// Latin-1).
		var bl1 []byte
		var bu []uint16
		bflat := qjs.Undefined
		sbody := false
		if body.IsString() {
			var ok bool
			if bl1, bu, bflat, ok = vm.StringData(body); !ok {
				bu = vm.UTF16(body)
			}
			sbody = len(bl1) > 0 || len(bu) > 0
		}
		if sbody {
			withChars(vm, qjs.Arg(a, 1), func(l1 []byte, u []uint16) { buf = appendUTF8(buf, l1, u) })
			buf = appendUTF8(buf, bl1, bu)
			vm.Free(bflat)
		} else {
			vm.Free(bflat)
			withChars(vm, qjs.Arg(a, 1), func(l1 []byte, u []uint16) { buf = appendLatin1(buf, l1, u) })
			if b, ok := vm.TypedArrayBytes(body); ok {
				buf = append(buf, b...)
			}
		}
		if cap(buf) <= 64<<10 {
			s.ns.scratch = buf
		}
		n := s.tryWrite(buf)
		if n == len(buf) {
			return qjs.Int(2), nil
		}
		s.queue(writeReq{data: append([]byte(nil), buf[n:]...), reqID: int32(vm.Int(qjs.Arg(a, 3)))})
		return qjs.True, nil
	})
}

// appendLatin1 appends a string's characters as Latin-1 (the low byte of
// each UTF-16 code unit, as Buffer.from(s, 'latin1')).
func appendLatin1(buf, l1 []byte, u []uint16) []byte {
	if u == nil {
		return append(buf, l1...)
	}
	for _, c := range u {
		buf = append(buf, byte(c))
	}
	return buf
}

// appendUTF8 appends a string's characters as UTF-8, lone surrogates
// becoming U+FFFD (as Buffer.from(s)).
func appendUTF8(buf, l1 []byte, u []uint16) []byte {
	if u == nil {
		// ASCII (every HTTP head, most bodies) is copied as it is.
		i := asciiPrefix(l1)
		buf = append(buf, l1[:i]...)
		for _, c := range l1[i:] {
			if c < 0x80 {
				buf = append(buf, c)
			} else {
				buf = append(buf, 0xC0|c>>6, 0x80|c&0x3F)
			}
		}
		return buf
	}
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c >= 0xD800 && c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			c = 0x10000 + (c-0xD800)<<10 + rune(u[i+1]-0xDC00)
			i++
		} else if c >= 0xD800 && c <= 0xDFFF {
			c = utf8.RuneError
		}
		buf = utf8.AppendRune(buf, c)
	}
	return buf
}

// cloneShaped(template, v0, v1, ...) returns a new object with template's
// prototype and own properties, in one engine allocation: it takes the
// template's shape (QuickJS shares one shape among objects with the same
// prototype and the same property names in the same order) and copies its
// property values, the first ones replaced by v0, v1, .... The HTTP server
// makes every request and response this way: under an interpreter each
// property added to a fresh object costs a shape transition and often a
// reallocation of the property array (about 150 ns each, against 40 for
// setting an existing one), and a request and its response took twenty of
// them, plus two constructor calls. It returns undefined when the template
// is not a plain object whose properties are all plain data properties
// (the caller then constructs as usual), or when the adapter to engine
// internals below is not available.
//
// The adapter relies on QuickJS's layout as modernc.org/libquickjs v0.14.0
// transpiles it: qjs.Value is a lib.TJSValue, qjs.VM holds the engine's
// *libc.TLS and context in fields named tls and ctx (found by reflection),
// a JSObject keeps its shape and property array in Fshape and Fprop (16
// bytes per property), and a shape property's flags are the top 6 bits of
// its first word. TestCloneShaped checks it is active.
func bindCloneShaped(r *rt, obj qjs.Value) {
	bindClonePair(r, obj)
	r.fn(obj, "cloneShaped", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		ns := r.netState()
		if ns.cloneStage == nil {
			// On the heap: the engine reads it through a uintptr, and a
			// goroutine stack may move during the call.
			ns.cloneStage = make([]qjs.Value, maxClonedProps)
		}
		return cloneShaped(vm, ns.cloneStage, qjs.Arg(a, 0), a[min(1, len(a)):]), nil
	})
}

// clonePair(reqTemplate, resTemplate, nReq, r0, ..., s0, s1, ...) is the
// HTTP server's two cloneShaped calls of a request in one: the request
// from reqTemplate with the nReq values r0...; its response from
// resTemplate with a new empty array, the request, then s0, s1, ....
// It returns the response (the request is its second field), or
// undefined, having made nothing that outlives the call, when a template
// is refused.
func bindClonePair(r *rt, obj qjs.Value) {
	r.fn(obj, "clonePair", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		ns := r.netState()
		if ns.cloneStage == nil {
			ns.cloneStage = make([]qjs.Value, maxClonedProps)
		}
		return clonePair(vm, ns.cloneStage, a), nil
	})
}

// clonePair is clonePair's work (a: its arguments).
func clonePair(vm *qjs.VM, stage []qjs.Value, a []qjs.Value) qjs.Value {
	nReq, ok := qjs.SmallInt(qjs.Arg(a, 2))
	if !ok || nReq < 0 || 3+nReq > len(a) || len(a)-3-nReq > maxClonedProps-2 {
		return qjs.Undefined
	}
	req := cloneShaped(vm, stage, a[0], a[3:3+nReq])
	if req.IsUndefined() {
		return qjs.Undefined
	}
	var vals [maxClonedProps]qjs.Value
	rest := a[3+nReq:]
	vals[0], vals[1] = vm.Array(), req
	copy(vals[2:], rest)
	res := cloneShaped(vm, stage, a[1], vals[:2+len(rest)])
	vm.FreeAll(vals[0], req)
	return res
}

// maxClonedProps bounds a template (the property values are staged in a
// fixed array).
const maxClonedProps = 64

// cloneShaped is cloneShaped's work; stage is scratch space for
// maxClonedProps values in Go's heap.
func cloneShaped(vm *qjs.VM, stage []qjs.Value, tpl qjs.Value, vals []qjs.Value) qjs.Value {
	if !engineOK || !tpl.IsObject() {
		return qjs.Undefined
	}
	raw := *(*lib.TJSValue)(unsafe.Pointer(&tpl))
	o := (*lib.TJSObject)(*(*unsafe.Pointer)(unsafe.Pointer(&raw.Fu)))
	if lib.TJSClassID(o.Fclass_id) != lib.EJS_CLASS_OBJECT {
		return qjs.Undefined
	}
	tls, ctx, _ := engineOf(vm)
	sh := o.Fshape
	shape := (*lib.TJSShape)(enginePtr(sh))
	n := int(shape.Fprop_count)
	// Only a hashed shape may be shared: the engine changes an object's
	// unhashed shape in place when a property is added or reconfigured
	// (a hashed one is cloned first when anything else holds it).
	if n > maxClonedProps || len(vals) > n || shape.Fdeleted_prop_count != 0 || shape.Fis_hashed == 0 {
		return qjs.Undefined
	}
	// Only plain data properties: an accessor or a deleted slot would need
	// the engine's own handling.
	prs := engineShapeProps(tls, sh)
	for i := 0; i < n; i++ {
		w := *(*uint32)(enginePtr(prs + uintptr(i)*8))
		if (w>>26)&lib.MJS_PROP_TMASK != 0 {
			return qjs.Undefined
		}
	}
	src := unsafe.Slice((*qjs.Value)(enginePtr(o.Fprop)), n)
	for i := 0; i < n; i++ {
		if i < len(vals) {
			stage[i] = vm.Dup(vals[i])
		} else {
			stage[i] = vm.Dup(src[i])
		}
	}
	v := engineNewObjectFromShape(tls, ctx, engineDupShape(tls, sh), lib.EJS_CLASS_OBJECT, uintptr(unsafe.Pointer(&stage[0])))
	clear(stage[:n])
	return *(*qjs.Value)(unsafe.Pointer(&v))
}
