package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/registry"
	"gnode/internal/registry/meta"
)

// TestAuditAgainstGnodeRegistry: gnode audit asks a gnode registry that
// holds an advisory and a malicious-package record about a tree, and exits
// non-zero at or above --audit-level.
func TestAuditAgainstGnodeRegistry(t *testing.T) {
	reg, err := registry.Open(context.Background(), registry.Config{Data: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	srv := httptest.NewServer(reg.Handler)
	defer srv.Close()
	ctx := context.Background()
	reg.Service.AddAdvisory(ctx, meta.Advisory{ID: 11, Name: "qs", VulnerableVersions: "<6.3.0", Severity: "moderate", Title: "ReDoS in qs", URL: "https://example.invalid/11"})
	if _, err := reg.Service.ImportOSV(ctx, []byte(`{"id":"MAL-2026-9","summary":"evil steals tokens","affected":[{"package":{"ecosystem":"npm","name":"evil"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`)); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+srv.URL+"/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"app","version":"1.0.0","dependencies":{"qs":"^6.0.0","evil":"1.0.0"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "package-lock.json"), []byte(`{"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{
	  "":{"name":"app","version":"1.0.0","dependencies":{"qs":"^6.0.0","evil":"1.0.0"}},
	  "node_modules/qs":{"version":"6.2.0"},
	  "node_modules/evil":{"version":"1.0.0"}}}`), 0o644)
	env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	audit := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(append([]string{"audit"}, args...), IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Env: env, Dir: dir})
		return code, out.String(), errb.String()
	}
	code, out, errOut := audit()
	if code != 1 || !strings.Contains(out, "Malicious package: evil steals tokens") || !strings.Contains(out, "pulled in by: app > qs") || !strings.Contains(out, "2 vulnerabilities (1 critical, 1 moderate)") {
		t.Errorf("audit: %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := audit("--audit-level=critical"); code != 1 {
		t.Errorf("critical finding must fail at --audit-level=critical: %d", code)
	}
	code, out, _ = audit("--json", "--audit-level=none")
	var rep struct {
		Findings []struct{ Name, Severity string }
		Counts   map[string]int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || len(rep.Findings) != 2 || rep.Counts["critical"] != 1 {
		t.Errorf("audit --json: %d %v %s", code, err, out)
	}
	// A clean tree exits 0.
	os.WriteFile(filepath.Join(dir, "package-lock.json"), []byte(`{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"},"node_modules/qs":{"version":"6.3.0"}}}`), 0o644)
	if code, out, _ := audit(); code != 0 || !strings.Contains(out, "found 0 vulnerabilities") {
		t.Errorf("clean audit: %d %s", code, out)
	}
}
