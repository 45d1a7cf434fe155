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

func TestDgramAllowNet(t *testing.T) {
	// Under --allow-net a bind, connect or send to an address outside it
	// fails with ERR_GNODE_PERMISSION through the socket's usual channels.
	app := `
const dgram = require('dgram');
const denied = dgram.createSocket('udp4');
denied.on('error', (e) => { console.log('bind denied', e.code); denied.close(); });
denied.bind(0, '127.0.0.2');
const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  s.send('x', 9, '127.0.0.3', (err) => {
    console.log('send denied', err && err.code);
    s.connect(9, '127.0.0.3', (err) => {
      console.log('connect denied', err && err.code);
      s.close();
    });
  });
});
`
	out, errOut, code := runPerm(t, map[string]string{"app.js": app}, "app.js", nil, []string{"--allow-net=127.0.0.1"})
	want := "bind denied ERR_GNODE_PERMISSION\nsend denied ERR_GNODE_PERMISSION\nconnect denied ERR_GNODE_PERMISSION\n"
	if code != 0 || out != want {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
}
