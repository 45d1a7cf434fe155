package lockfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "version": "1.0.0",
      "license": "ISC",
      "dependencies": {
        "a": "^1.0.0",
        "b-alias": "npm:b@^2.0.0"
      },
      "devDependencies": {
        "c": "~3.0.0"
      }
    },
    "node_modules/@s/z": {
      "version": "0.1.0",
      "resolved": "http://127.0.0.1:1/@s/z/-/z-0.1.0.tgz",
      "integrity": "sha512-AAAA",
      "cpu": [
        "x64"
      ],
      "optional": true,
      "os": [
        "linux"
      ]
    },
    "node_modules/a": {
      "version": "1.2.3",
      "resolved": "http://127.0.0.1:1/a/-/a-1.2.3.tgz",
      "integrity": "sha512-BBBB",
      "deprecated": "use d",
      "hasInstallScript": true,
      "license": "MIT",
      "dependencies": {
        "@s/z": "0.1.0"
      },
      "bin": {
        "a": "bin/a.js"
      },
      "engines": {
        "node": ">=18"
      },
      "funding": {
        "url": "https://example.invalid/fund"
      },
      "optionalDependencies": {
        "@s/z": "0.1.0"
      }
    },
    "node_modules/a/node_modules/c": {
      "version": "2.0.0",
      "dev": true,
      "peer": true
    },
    "node_modules/b-alias": {
      "name": "b",
      "version": "2.1.0",
      "resolved": "http://127.0.0.1:1/b/-/b-2.1.0.tgz",
      "integrity": "sha512-CCCC",
      "devOptional": true
    },
    "node_modules/c": {
      "version": "3.0.1",
      "dev": true,
      "x-unknown": "kept"
    }
  }
}
`

func TestRoundTrip(t *testing.T) {
	lf, err := Decode([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(lf.Encode(false)); got != sample {
		t.Fatalf("round trip differs:\n%s", got)
	}
	if lf.Packages["node_modules/b-alias"].PackageName("node_modules/b-alias") != "b" {
		t.Fatal("alias name lost")
	}
	hidden := string(lf.Encode(true))
	if strings.Contains(hidden, `"": {`) {
		t.Fatal("hidden lockfile has a root entry")
	}
}

func TestDecodeErrors(t *testing.T) {
	if _, err := Decode([]byte(`{"lockfileVersion":1,"dependencies":{}}`)); err == nil {
		t.Fatal("v1 lockfile accepted")
	}
	_, err := Decode([]byte("{\n  \"packages\": {,\n}"))
	if err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Fatalf("want positioned error, got %v", err)
	}
}

// TestKeyOrderMatchesNpm encodes with gnode and with npm's own serializer
// (json-stringify-nice, which npm ships) and compares the bytes.
func TestKeyOrderMatchesNpm(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not on PATH; skipping differential serializer test")
	}
	out, err := exec.Command(npm, "root", "-g").Output()
	if err != nil {
		t.Skipf("npm root -g failed: %v", err)
	}
	nice := filepath.Join(strings.TrimSpace(string(out)), "npm", "node_modules", "json-stringify-nice")
	if _, err := os.Stat(nice); err != nil {
		t.Skip("json-stringify-nice not found in npm's install")
	}
	lf, err := Decode([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	// Shuffle key order by going through a map-based re-encode on the node side.
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	os.WriteFile(in, []byte(sample), 0o644)
	js := `const s=require(process.argv[1]);const d=JSON.parse(require('fs').readFileSync(process.argv[2],'utf8'));
const rev=o=>{if(!o||typeof o!=='object'||Array.isArray(o))return o;const r={};for(const k of Object.keys(o).reverse())r[k]=rev(o[k]);return r};
process.stdout.write(s(rev(d),['name','version','lockfileVersion','resolved','integrity','requires','packages','dependencies'],2))`
	want, err := exec.Command("node", "-e", js, nice, in).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := lf.Encode(false); string(got) != string(want) {
		t.Fatalf("differs from npm's serializer:\n got:\n%s\nwant:\n%s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"lockfileVersion":3,"packages":{"":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lf, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Decode(lf.Encode(false))
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if string(again.Encode(false)) != string(lf.Encode(false)) {
			t.Fatal("encoding not stable")
		}
	})
}
