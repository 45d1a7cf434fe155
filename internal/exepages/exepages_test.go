package exepages

import (
	"runtime"
	"testing"
)

// Apply must find the test binary's read-only mappings on Linux and leave
// the process working (the code it drops faults back in).
func TestApply(t *testing.T) {
	n := Apply(Drop)
	if runtime.GOOS == "linux" && n == 0 {
		t.Fatal("no read-only mapping of the executable was found")
	}
	if Apply(Random) != n {
		t.Error("the two passes covered different mappings")
	}
	// Code and read-only data are still usable after the drop.
	s := make([]int, 0, 10)
	for i := range 10 {
		s = append(s, i*i)
	}
	if s[9] != 81 {
		t.Fatal("arithmetic after the drop")
	}
}
