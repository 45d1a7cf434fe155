package jsnum

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

var cases = []struct {
	f    float64
	want string
}{
	{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1.5, "-1.5"}, {0.1, "0.1"},
	{1e21, "1e+21"}, {1e20, "100000000000000000000"}, {123456789012345680000, "123456789012345680000"},
	{1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {0.000001, "0.000001"}, {0.0000012345, "0.0000012345"},
	{5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"}, {2.5e25, "2.5e+25"},
	{1 << 53, "9007199254740992"}, {0.30000000000000004, "0.30000000000000004"}, {-1e-10, "-1e-10"},
}

func TestAppend(t *testing.T) {
	for _, c := range cases {
		if got := string(Append([]byte("x"), c.f)); got != "x"+c.want {
			t.Errorf("Append(%v) = %q, want %q", c.f, got[1:], c.want)
		}
	}
}

// TestAppendAgainstNode compares String(f) under node for the table and
// a spread of magnitudes (skipped without node).
func TestAppendAgainstNode(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	var fs []float64
	for _, c := range cases {
		fs = append(fs, c.f)
	}
	for e := -330; e <= 310; e += 7 {
		fs = append(fs, 1.2345678901234567*math.Pow(10, float64(e)), -3*math.Pow(10, float64(e)))
	}
	var in []string
	for _, f := range fs {
		in = append(in, strconv.FormatFloat(f, 'g', -1, 64))
	}
	args := append([]string{"-e", "for (const s of process.argv.slice(1)) console.log(String(Number(s)))"}, in...)
	out, err := exec.Command("node", args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(want) != len(fs) {
		t.Fatalf("node printed %d lines for %d numbers", len(want), len(fs))
	}
	for i, f := range fs {
		if got := string(Append(nil, f)); got != want[i] {
			t.Errorf("Append(%s) = %s, node %s", in[i], got, want[i])
		}
	}
}
