package service

import "testing"

func TestParseOSV(t *testing.T) {
	data := []byte(`[
	 {"id":"GHSA-aaaa-bbbb-cccc","summary":"Prototype pollution","database_specific":{"severity":"HIGH","cwe_ids":["CWE-1321"]},
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "affected":[{"package":{"ecosystem":"npm","name":"lodash-x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"},{"introduced":"5.0.0"},{"last_affected":"5.1.0"}]}]},
	             {"package":{"ecosystem":"PyPI","name":"other"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]},
	 {"id":"MAL-2026-1","summary":"crypto-kit steals credentials","affected":[{"package":{"ecosystem":"npm","name":"crypto-kit"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}],"versions":["1.0.0"]}]}
	]`)
	advs, err := ParseOSV(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) != 2 {
		t.Fatalf("got %d advisories, want 2 (npm only): %+v", len(advs), advs)
	}
	a := advs[0]
	if a.Name != "lodash-x" || a.VulnerableVersions != "<4.17.21 || >=5.0.0 <=5.1.0" || a.Severity != "high" || a.CWE[0] != "CWE-1321" || a.CVSSVector == "" {
		t.Errorf("advisory: %+v", a)
	}
	m := advs[1]
	if m.Name != "crypto-kit" || m.Severity != "critical" || m.VulnerableVersions != "* || 1.0.0" || m.Title != "Malicious package: crypto-kit steals credentials" {
		t.Errorf("malicious advisory: %+v", m)
	}
	if a.ID == m.ID || a.ID <= 0 || a.ID >= 1<<53 {
		t.Errorf("ids: %d %d", a.ID, m.ID)
	}
	// JSON lines work too; bad input is an error.
	if advs, err := ParseOSV([]byte(`{"id":"X-1","affected":[{"package":{"ecosystem":"npm","name":"a"},"versions":["1.0.0"]}]}` + "\n" + `{"id":"X-2","affected":[{"package":{"ecosystem":"npm","name":"b"},"versions":["2.0.0"]}]}`)); err != nil || len(advs) != 2 {
		t.Errorf("JSON lines: %v %v", advs, err)
	}
	if _, err := ParseOSV([]byte(`{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}`)); err == nil {
		t.Errorf("a record without versions or ranges was accepted")
	}
	if _, err := ParseOSV([]byte(`{not json`)); err == nil {
		t.Errorf("invalid JSON accepted")
	}
}

func FuzzParseOSV(f *testing.F) {
	f.Add([]byte(`{"id":"X-1","affected":[{"package":{"ecosystem":"npm","name":"a"},"versions":["1.0.0"]}]}`))
	f.Add([]byte(`[{"id":"MAL-1","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseOSV(b)
	})
}
