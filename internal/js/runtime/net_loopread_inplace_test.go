package runtime

import (
	"testing"
	"unsafe"

	"gnode/internal/js/qjs"
)

// loopRequest parses heads in place (their strings point into the read
// buffer, which the next read overwrites): netState.str's cache must key
// on copies, or a cached string would change under its key.
func TestHeadStringCacheOutlivesTheBuffer(t *testing.T) {
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	ns := &netState{}
	defer ns.freeStrs(vm)
	buf := []byte("/first-url")
	inPlace := unsafe.String(unsafe.SliceData(buf), len(buf))
	vm.Free(ns.str(vm, inPlace))
	copy(buf, "/other-url") // the next read reuses the buffer
	for _, tc := range []struct{ key, want string }{
		{"/first-url", "/first-url"},
		{"/other-url", "/other-url"},
	} {
		v := ns.str(vm, tc.key)
		got, err := vm.ToString(v)
		vm.Free(v)
		if err != nil || got != tc.want {
			t.Errorf("str(%q) = %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
	// Every entry still holds the string its key spells.
	for k, v := range ns.strs {
		if got, err := vm.ToString(v); err != nil || got != k {
			t.Errorf("cache entry %q holds %q", k, got)
		}
	}
}

// The Connection header's tokens are compared ASCII case-insensitively,
// in any order and spacing, without folding non-ASCII letters.
func TestConnectionTokens(t *testing.T) {
	for _, tc := range []struct {
		name, in                  string
		keepAlive, close, upgrade bool
	}{
		{"1.0 keep-alive mixed case", "GET / HTTP/1.0\r\nConnection: kEEp-AlIvE\r\n\r\n", true, false, false},
		{"list with spaces", "GET / HTTP/1.1\r\nConnection: foo ,  Upgrade ,close\r\n\r\n", false, true, true},
		{"empty tokens", "GET / HTTP/1.1\r\nConnection: ,,keep-alive,,\r\n\r\n", true, false, false},
		{"kelvin sign is not k", "GET / HTTP/1.0\r\nConnection: \u212Aeep-alive\r\n\r\n", false, false, false},
		{"long s is not s", "GET / HTTP/1.1\r\nConnection: clo\u017Fe\r\n\r\n", false, false, false},
		{"token inside a word", "GET / HTTP/1.1\r\nConnection: closed\r\n\r\n", false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := headOf(tc.in, true)
			if err != nil {
				t.Fatal(err)
			}
			if h.connKeepAlive != tc.keepAlive || h.connClose != tc.close || h.connUpgrade != tc.upgrade {
				t.Errorf("keep-alive %v close %v upgrade %v, want %v %v %v", h.connKeepAlive, h.connClose, h.connUpgrade, tc.keepAlive, tc.close, tc.upgrade)
			}
		})
	}
}
