package registry

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestReleaseExecutablePages: the binary's read-only mappings are dropped
// and the code (and read-only data) they held runs again afterwards.
func TestReleaseExecutablePages(t *testing.T) {
	if n := releaseExecutablePages(); n <= 0 {
		t.Fatalf("released %d bytes of the test binary's mappings, want some", n)
	}
	b, err := json.Marshal(map[string]any{"name": "after-trim", "versions": []string{"1.0.0"}})
	if err != nil || string(b) != `{"name":"after-trim","versions":["1.0.0"]}` {
		t.Fatalf("code after the trim: %s %v", b, err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil || !strings.Contains(string(status), "VmRSS") {
		t.Fatalf("process status after the trim: %v", err)
	}
}
