package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateCommandLine: the aliases reach the command, bad input gets a
// clear error and exit 1, and the usage is reachable through help.
func TestUpdateCommandLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"x","version":"1.0.0"}`), 0o644)
	e := newPmeEnv(t, "")
	for _, tc := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"update", "--bogus"}, 1, "unknown flag --bogus"},
		{[]string{"up", "--bogus"}, 1, "gnode update --help"},
		{[]string{"upgrade", "--bogus"}, 1, "gnode update --help"},
		{[]string{"update", "-w", "a"}, 1, "workspace filters"},
		{[]string{"update", "--omit=bad"}, 1, "invalid --omit value"},
		{[]string{"help", "update"}, 0, "gnode update [<name>...]"},
		{[]string{"help", "up"}, 0, "--dry-run"},
	} {
		code, out, errs := e.run(dir, "", tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.contains) {
			t.Errorf("gnode %s: exit %d (want %d)\n%s%s\nwant it to mention %q", strings.Join(tc.args, " "), code, tc.code, out, errs, tc.contains)
		}
	}
	// No package.json: the install path's error, not a crash.
	empty := t.TempDir()
	if code, _, errs := e.run(empty, "", "update"); code == 0 || !strings.Contains(errs, "package.json") {
		t.Errorf("update without package.json: exit %d %s", code, errs)
	}
	if code, _, errs := e.run(empty, "", "update", "--dry-run"); code == 0 || !strings.Contains(errs, "package.json") {
		t.Errorf("update --dry-run without package.json: exit %d %s", code, errs)
	}
}
