package audit

import (
	"reflect"
	"testing"

	"gnode/internal/pm/lockfile"
)

func TestMatchExplainsChains(t *testing.T) {
	lf, err := lockfile.Decode([]byte(`{
  "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "app", "version": "1.0.0", "dependencies": {"web": "^1.0.0", "qs": "^6.0.0"}, "devDependencies": {"tool": "^1.0.0"}},
    "node_modules/web": {"version": "1.0.0", "dependencies": {"qs": "^5.0.0"}},
    "node_modules/web/node_modules/qs": {"version": "5.1.0"},
    "node_modules/qs": {"version": "6.2.0"},
    "node_modules/tool": {"version": "1.0.0", "dev": true, "dependencies": {"evil": "*"}},
    "node_modules/evil": {"version": "0.0.1", "dev": true}
  }
}`))
	if err != nil {
		t.Fatal(err)
	}
	in := &Installed{lock: lf}
	req := in.Request()
	if !reflect.DeepEqual(req["qs"], []string{"5.1.0", "6.2.0"}) || len(req) != 4 {
		t.Errorf("request = %v", req)
	}
	rep := in.Match(map[string][]Advisory{
		"qs":   {{ID: 1, Title: "Prototype pollution", Severity: "high", VulnerableVersions: "<6.0.0"}, {ID: 2, Title: "ReDoS", Severity: "moderate", VulnerableVersions: "<6.3.0"}},
		"evil": {{ID: 3, Title: "Malicious package: evil", Severity: "critical", VulnerableVersions: "*", URL: "https://osv.dev/vulnerability/MAL-1"}},
		"web":  {{ID: 4, Title: "fixed long ago", Severity: "low", VulnerableVersions: "<0.5.0"}},
	})
	if len(rep.Findings) != 3 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	evil := rep.Findings[0]
	if evil.Name != "evil" || evil.Severity != "critical" || !evil.Via[0].Malicious() || evil.Chains[0] != "app > tool > evil" {
		t.Errorf("first finding = %+v", evil)
	}
	nested := rep.Findings[1]
	if nested.Name != "qs" || nested.Version != "5.1.0" || nested.Severity != "high" || len(nested.Via) != 2 || nested.Chains[0] != "app > web > qs" {
		t.Errorf("nested qs = %+v", nested)
	}
	top := rep.Findings[2]
	if top.Version != "6.2.0" || top.Severity != "moderate" || top.Chains[0] != "app > qs" {
		t.Errorf("top qs = %+v", top)
	}
	if rep.Counts["critical"] != 1 || rep.Counts["high"] != 1 || rep.Counts["moderate"] != 1 || rep.Dependencies != 5 {
		t.Errorf("counts = %v, deps %d", rep.Counts, rep.Dependencies)
	}
}
