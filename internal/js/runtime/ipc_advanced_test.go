package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestIPCAdvanced runs testdata/ipc_advanced/parent.js, which forks
// child.js with serialization 'advanced' and sends Maps, Sets, Dates,
// RegExps, BigInts, typed arrays, Buffers, circular structures, undefined
// and a net.Server handle both ways, with every pairing of node and gnode
// on the two ends, and compares the printed messages with what node
// parent ↔ node child prints; errors.js does the same for the values
// send() refuses, and cluster.js for a cluster whose primary chose
// 'advanced' (the worker's listen goes through the Go side's envelope
// codec in bind_cluster.go).
func TestIPCAdvanced(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential IPC tests need it")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range []struct {
		file, mark string
		sorted     bool // two processes print: compare the lines sorted
	}{
		{"parent.js", "handle round trip", false},
		{"errors.js", "child got", false},
		{"cluster.js", "from worker hi", true},
	} {
		t.Run(prog.file, func(t *testing.T) { testIPCAdvanced(t, node, self, prog.file, prog.mark, prog.sorted) })
	}
}

func testIPCAdvanced(t *testing.T, node, self, file, mark string, sorted bool) {
	script, _ := filepath.Abs(filepath.Join("testdata/ipc_advanced", file))
	run := func(t *testing.T, parent, child string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, parent, script)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "GNODE_TEST_AS_GNODE=1", "IPC_CHILD_EXEC="+child)
		cmd.WaitDelay = 5 * time.Second
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s parent, %s child: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(parent), filepath.Base(child), err, out.String(), errb.String())
		}
		if errb.Len() > 0 {
			t.Logf("stderr:\n%s", errb.String())
		}
		if sorted {
			lines := strings.SplitAfter(out.String(), "\n")
			sort.Strings(lines)
			return strings.Join(lines, "")
		}
		return out.String()
	}
	want := run(t, node, node)
	if !bytes.Contains([]byte(want), []byte(mark)) {
		t.Fatalf("node ↔ node did not finish the exchange:\n%s", want)
	}
	for _, tc := range []struct{ name, parent, child string }{
		{"gnode parent, gnode child", self, self},
		{"gnode parent, node child", self, node},
		{"node parent, gnode child", node, self},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(t, tc.parent, tc.child); got != want {
				t.Errorf("output differs from node ↔ node\n--- node ↔ node\n%s\n--- %s\n%s", want, tc.name, got)
			}
		})
	}
}

func frame(payload string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	return append(b, payload...)
}

func TestSplitIPCFrames(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     []byte
		frames []string
		starts []int64
		rest   int
	}{
		{"empty", nil, nil, nil, 0},
		{"short prefix", []byte{0, 0}, nil, nil, 2},
		{"one", frame("ab"), []string{"ab"}, []int64{100}, 0},
		{"empty payload", frame(""), []string{""}, []int64{100}, 0},
		{"two and a part", append(append(frame("abc"), frame("d")...), 0, 0, 0, 9, 'x'), []string{"abc", "d"}, []int64{100, 107}, 5},
		{"oversized prefix stops", append(frame("a"), 0x7f, 0xff, 0xff, 0xff, 1), []string{"a"}, []int64{100}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frames, starts, rest := splitIPCFrames(append([]byte(nil), tc.in...), 100)
			if len(frames) != len(tc.frames) || len(rest) != tc.rest {
				t.Fatalf("frames %q rest %d, want %q rest %d", frames, len(rest), tc.frames, tc.rest)
			}
			for i := range frames {
				if string(frames[i]) != tc.frames[i] || starts[i] != tc.starts[i] {
					t.Errorf("frame %d = %q at %d, want %q at %d", i, frames[i], starts[i], tc.frames[i], tc.starts[i])
				}
			}
		})
	}
}

// FuzzSplitIPCFrames cuts a stream of frames into two reads: the frames
// come out whole, in order, at their offsets, whatever the cut.
func FuzzSplitIPCFrames(f *testing.F) {
	f.Add([]byte("ab"), []byte(""), []byte("xyz"), uint8(3))
	f.Add([]byte{}, []byte{0xff, 0x0f}, []byte("q"), uint8(0))
	f.Fuzz(func(t *testing.T, a, b, c []byte, cut uint8) {
		var stream []byte
		var want [][]byte
		for _, p := range [][]byte{a, b, c} {
			stream = append(stream, frame(string(p))...)
			want = append(want, p)
		}
		at := int(cut) % (len(stream) + 1)
		f1, s1, acc := splitIPCFrames(append([]byte(nil), stream[:at]...), 0)
		f2, s2, rest := splitIPCFrames(append(acc, stream[at:]...), sumFrameLen(f1))
		got, starts := append(f1, f2...), append(s1, s2...)
		if len(rest) != 0 || len(got) != len(want) {
			t.Fatalf("got %d frames, rest %d; want %d, 0", len(got), len(rest), len(want))
		}
		var off int64
		for i := range got {
			if !bytes.Equal(got[i], want[i]) || starts[i] != off {
				t.Fatalf("frame %d = %q at %d, want %q at %d", i, got[i], starts[i], want[i], off)
			}
			off += 4 + int64(len(want[i]))
		}
	})
}

// TestV8Envelope checks the Go side's encoding of cluster envelopes
// against node's v8.deserialize, and its decoding of node's bytes.
func TestV8Envelope(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential IPC tests need it")
	}
	for _, text := range []string{
		`{"cmd":"NODE_CLUSTER","act":"queryServer","index":0,"data":null,"address":"127.0.0.1","port":0,"addressType":4,"seq":1099511627777}`,
		`{"cmd":"NODE_HANDLE_ACK"}`,
		`{"s":"ünï ✓ 😀","a":[1,-2,3.5,true,false,null,[]],"o":{},"n":-1073741824,"big":2147483648}`,
	} {
		frame, err := v8FrameFromJSON([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if int(binary.BigEndian.Uint32(frame)) != len(frame)-4 {
			t.Fatalf("length prefix %d for %d bytes", binary.BigEndian.Uint32(frame), len(frame)-4)
		}
		cmd := exec.Command(node, "-e", `const v8 = require('v8');
const b = Buffer.from(process.argv[1], 'hex');
const v = v8.deserialize(b);
process.stdout.write(JSON.stringify(v) + '\n' + v8.serialize(v).toString('hex'));`, fmt.Sprintf("%x", frame[4:]))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node cannot read the frame of %s: %v", text, err)
		}
		back, nodeHex, _ := strings.Cut(string(out), "\n")
		if back != text {
			t.Errorf("node read %s, want %s", back, text)
		}
		nodeBytes, _ := hex.DecodeString(nodeHex)
		got, ok := v8FrameToJSON(nodeBytes)
		if !ok || !jsonEqual(got, text) {
			t.Errorf("decoding node%cs bytes of %s gave %s (ok %v) from %x", 39, text, got, ok, nodeBytes)
		}
	}
	if _, ok := v8FrameToJSON([]byte{0xff, 0x0f, 'o', 0x22}); ok {
		t.Error("a truncated object decoded")
	}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// FuzzV8FrameToJSON feeds the envelope decoder arbitrary bytes: it never
// panics, and whatever it accepts survives an encode/decode round trip.
func FuzzV8FrameToJSON(f *testing.F) {
	for _, h := range []string{
		"ff0f6f22016e49ffffffff077b01",
		"ff0f41025430240002",
		"ff0f6f2201736310fc006e00ef002000132720003dd800de7b01",
		"ff0f61034900490249024e000000000000e041400003",
		"ff0f6f22016f6f7b007b01",
	} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, ok := v8FrameToJSON(data)
		if !ok {
			return
		}
		frame, err := v8FrameFromJSON([]byte(text))
		if err != nil {
			t.Fatalf("cannot encode the decoded %s: %v", text, err)
		}
		again, ok := v8FrameToJSON(frame[4:])
		if !ok || !jsonEqual(again, text) {
			t.Fatalf("%s came back as %s (ok %v)", text, again, ok)
		}
	})
}
