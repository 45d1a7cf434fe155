package registry_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gnode/internal/registry"
)

// TestUplinkProxy: a registry with --uplink serves the upstream's packages
// with its own tarball URLs and signatures, caches tarballs, keeps serving
// them when the upstream is gone, and never lets an upstream package shadow
// a local one.
func TestUplinkProxy(t *testing.T) {
	up := startRegistry(t, registry.Config{})
	upTok := up.addUser("upstream", "password123")
	up.mustPublish(upTok, "remote-lib", "1.0.0")
	up.mustPublish(upTok, "remote-lib", "1.2.0")
	up.mustPublish(upTok, "shared-name", "9.0.0")

	proxy := startRegistry(t, registry.Config{Uplink: up.URL})
	tok := proxy.addUser("alice", "password123")
	proxy.mustPublish(tok, "shared-name", "1.0.0")

	full := proxy.packument("remote-lib", false)
	v := full["versions"].(map[string]any)["1.2.0"].(map[string]any)
	dist := v["dist"].(map[string]any)
	if dist["tarball"] != proxy.URL+"remote-lib/-/remote-lib-1.2.0.tgz" {
		t.Errorf("proxied tarball URL %v", dist["tarball"])
	}
	if full["time"].(map[string]any)["1.2.0"] == nil {
		t.Errorf("upstream time entries not kept: %v", full["time"])
	}
	_, keys := proxy.do("GET", "-/npm/v1/keys", "", "", nil)
	var kd struct{ Keys []struct{ KeyID string } }
	json.Unmarshal(keys, &kd)
	sig := dist["signatures"].([]any)[0].(map[string]any)
	if sig["keyid"] != kd.Keys[0].KeyID {
		t.Errorf("proxied version not signed with the proxy's key: %v", sig)
	}
	corgi := proxy.packument("remote-lib", true)
	if _, ok := corgi["versions"].(map[string]any)["1.0.0"].(map[string]any)["description"]; ok {
		t.Errorf("abbreviated proxied document carries full fields")
	}

	st, tgz := proxy.do("GET", "remote-lib/-/remote-lib-1.2.0.tgz", "", "", nil)
	if st != 200 || sha512sri(tgz) != dist["integrity"] {
		t.Fatalf("proxied tarball: %d, integrity %s vs %v", st, sha512sri(tgz), dist["integrity"])
	}

	// Local packages win over the upstream's.
	local := proxy.packument("shared-name", false)
	if _, ok := local["versions"].(map[string]any)["9.0.0"]; ok {
		t.Errorf("upstream version leaked into a local package: %v", local["versions"])
	}

	// Upstream gone: cached document and tarball still served.
	up.srv.Close()
	if st, _ := proxy.do("GET", "remote-lib", "", "", nil); st != 200 {
		t.Errorf("cached packument with the upstream down: %d", st)
	}
	if st, _ := proxy.do("GET", "remote-lib/-/remote-lib-1.2.0.tgz", "", "", nil); st != 200 {
		t.Errorf("cached tarball with the upstream down: %d", st)
	}
	if st, b := proxy.do("GET", "remote-lib/-/remote-lib-1.0.0.tgz", "", "", nil); st < 500 || !strings.Contains(string(b), "error") {
		t.Errorf("uncached tarball with the upstream down: %d %s", st, b)
	}
	if st, _ := proxy.do("GET", "never-seen", "", "", nil); st == 200 {
		t.Errorf("unknown package served with the upstream down")
	}
}
