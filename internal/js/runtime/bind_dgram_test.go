package runtime

import (
	"testing"
	"time"
)

// runWithin fails the test when the program has not ended after d (a
// handle holding the loop would make run wait forever).
func runWithin(t *testing.T, d time.Duration, files map[string]string, main string) (string, string, int) {
	t.Helper()
	type result struct {
		out, errs string
		code      int
	}
	done := make(chan result, 1)
	go func() {
		out, errs, code := run(t, files, main)
		done <- result{out, errs, code}
	}()
	select {
	case r := <-done:
		return r.out, r.errs, r.code
	case <-time.After(d):
		t.Fatalf("the program did not end within %v", d)
	}
	return "", "", 0
}

func TestDgramUnrefDoesNotHoldTheLoop(t *testing.T) {
	out, errs, code := runWithin(t, 20*time.Second, map[string]string{"a.js": `
const dgram = require('dgram');
const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  s.unref();
  console.log('bound', s.address().port > 0);
});
process.on('exit', () => console.log('exit'));
`}, "a.js")
	if code != 0 || out != "bound true\nexit\n" || errs != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestDgramRefHoldsUntilClose(t *testing.T) {
	// A ref'd socket keeps the process alive until a datagram closes it;
	// a datagram that arrives after close is not delivered.
	out, errs, code := runWithin(t, 20*time.Second, map[string]string{"a.js": `
const dgram = require('dgram');
const s = dgram.createSocket('udp4');
let n = 0;
s.on('message', (m) => {
  n++;
  console.log('got', m.toString());
  s.close();
});
s.bind(0, '127.0.0.1', () => {
  const c = dgram.createSocket('udp4');
  const port = s.address().port;
  c.send('one', port, '127.0.0.1', () => {
    c.send('two', port, '127.0.0.1', () => c.close());
  });
});
process.on('exit', () => console.log('messages', n));
`}, "a.js")
	if code != 0 || out != "got one\nmessages 1\n" || errs != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
	}
}
