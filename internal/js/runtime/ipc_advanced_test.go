package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestIPCAdvanced runs testdata/ipc_advanced/parent.js, which forks
// child.js with serialization 'advanced' and sends Maps, Sets, Dates,
// RegExps, BigInts, typed arrays, Buffers, circular structures, undefined
// and a net.Server handle both ways, with every pairing of node and gnode
// on the two ends, and compares the printed messages with what node
// parent ↔ node child prints; errors.js does the same for the values
// send() refuses.
func TestIPCAdvanced(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the differential IPC tests need it")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range []struct{ file, mark string }{
		{"parent.js", "handle round trip"},
		{"errors.js", "child got"},
	} {
		t.Run(prog.file, func(t *testing.T) { testIPCAdvanced(t, node, self, prog.file, prog.mark) })
	}
}

func testIPCAdvanced(t *testing.T, node, self, file, mark string) {
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
