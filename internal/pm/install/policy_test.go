package install_test

import (
	"strings"
	"testing"

	"gnode/internal/testutil/gnoderegistry"
)

// An update that brings a package needing more than gnode-policy.json
// grants is flagged in the install summary; an install within the policy
// is not.
func TestPolicyWarningOnUpdate(t *testing.T) {
	reg := gnoderegistry.Start(t)
	publishScenario(reg)
	p := newGProject(t, reg, `{"name":"app","version":"1.0.0"}`)
	if _, stderr, code := p.cli("install", "http-kit@^1"); code != 0 {
		t.Fatalf("install: %s", stderr)
	}
	if _, stderr, code := p.cli("policy", "generate"); code != 0 {
		t.Fatalf("policy generate: %s", stderr)
	}
	stdout, stderr, code := p.cli("install", "http-kit@1.0.1", "--allow-young=http-kit@1.0.1,crypto-kit")
	if code != 0 {
		t.Fatalf("install 1.0.1: %s", stderr)
	}
	want := "crypto-kit@1.0.0: is not in gnode-policy.json (no capabilities) but needs child_process"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "ERR_GNODE_PERMISSION") {
		t.Fatalf("summary lacks the policy warning %q:\n%s", want, stdout)
	}
	if strings.Contains(stdout, "http-kit@1.0.1: is not in") || strings.Contains(stdout, "http-kit@1.0.1: needs") {
		t.Errorf("http-kit needs nothing beyond its grant but was flagged:\n%s", stdout)
	}
	// After regenerating the policy, reinstalling flags nothing.
	if _, stderr, code := p.cli("policy", "generate"); code != 0 {
		t.Fatalf("policy generate: %s", stderr)
	}
	stdout, _, _ = p.cli("install")
	if strings.Contains(stdout, "gnode-policy.json") {
		t.Errorf("install after regenerating the policy still warns:\n%s", stdout)
	}
}
