package capability

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, cwd string, args ...string) *Flags {
	t.Helper()
	f := &Flags{}
	for _, a := range args {
		ok, err := f.ParseFlag(a, cwd)
		if !ok || err != nil {
			t.Fatalf("ParseFlag(%q) = %v, %v", a, ok, err)
		}
	}
	return f
}

func TestParseFlag(t *testing.T) {
	f := &Flags{}
	for _, tc := range []struct {
		arg     string
		handled bool
		fails   bool
	}{
		{"--allow-read", true, false},
		{"--allow-fs-read=/x", true, false},
		{"--allow-child-process", true, false},
		{"--deny-net=example.org,[::1]:80", true, false},
		{"--permission", true, false},
		{"--allow-net=", true, true},
		{"--allow-net=a b", true, true},
		{"--allow-net=host:port", true, true},
		{"--allow-teleport", false, false},
		{"--inspect", false, false},
		{"app.js", false, false},
	} {
		handled, err := f.ParseFlag(tc.arg, "/cwd")
		if handled != tc.handled || (err != nil) != tc.fails {
			t.Errorf("ParseFlag(%q) = %v, %v; want handled %v, fails %v", tc.arg, handled, err, tc.handled, tc.fails)
		}
	}
}

func TestFlagsChecks(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "ok"), 0o755)
	os.MkdirAll(filepath.Join(dir, "secret"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret", "key"), []byte("k"), 0o600)
	os.Symlink(filepath.Join(dir, "secret", "key"), filepath.Join(dir, "ok", "link"))
	ok, secret := filepath.Join(dir, "ok"), filepath.Join(dir, "secret")
	type check struct {
		name string
		fn   func(*Flags) error
		want bool // allowed
	}
	read := func(p string) func(*Flags) error { return func(f *Flags) error { return f.CheckRead(p) } }
	write := func(p string) func(*Flags) error { return func(f *Flags) error { return f.CheckWrite(p) } }
	netc := func(a string) func(*Flags) error { return func(f *Flags) error { return f.CheckNet(a) } }
	host := func(h string) func(*Flags) error { return func(f *Flags) error { return f.CheckHost(h) } }
	env := func(n string) func(*Flags) error { return func(f *Flags) error { return f.CheckEnv(n) } }
	run := func(p string) func(*Flags) error { return func(f *Flags) error { return f.CheckRun(p) } }
	for _, tc := range []struct {
		name   string
		flags  []string
		checks []check
	}{
		{"no flags allow everything", nil, []check{
			{"read", read("/etc/passwd"), true}, {"net", netc("example.org:443"), true}, {"env", env("HOME"), true}, {"run", run("sh"), true},
		}},
		{"deny narrows the default", []string{"--deny-read=" + secret, "--deny-net=10.0.0.1", "--deny-run=curl"}, []check{
			{"read ok", read(filepath.Join(ok, "a")), true},
			{"read secret", read(filepath.Join(secret, "key")), false},
			{"read secret itself", read(secret), false},
			{"read through a link", read(filepath.Join(ok, "link")), false},
			{"secret prefix is not a parent", read(secret + "ive"), true},
			{"write anywhere", write("/tmp/x"), true},
			{"net denied host any port", netc("10.0.0.1:80"), false},
			{"net other", netc("10.0.0.2:80"), true},
			{"run curl by path", run("/usr/bin/curl"), false},
			{"run sh", run("sh"), true},
		}},
		{"permission mode", []string{"--allow-read=" + ok, "--allow-net=localhost:8080,example.org", "--allow-env=HOME", "--allow-run=git"}, []check{
			{"read inside", read(filepath.Join(ok, "a")), true},
			{"read link out", read(filepath.Join(ok, "link")), false},
			{"read outside", read(secret), false},
			{"write not given", write(filepath.Join(ok, "a")), false},
			{"net alias", netc("127.0.0.1:8080"), true},
			{"net v6 alias", netc("[::1]:8080"), true},
			{"net other port", netc("localhost:8081"), false},
			{"net host any port", netc("example.org:443"), true},
			{"net host case", netc("EXAMPLE.org:80"), true},
			{"net other host", netc("example.com:443"), false},
			{"dns of host with port entry", host("localhost"), true},
			{"dns other", host("evil.test"), false},
			{"env allowed", env("HOME"), true},
			{"env other", env("AWS_SECRET_ACCESS_KEY"), false},
			{"run git", run("git"), true},
			{"run path to git", run("/usr/bin/git"), true},
			{"run sh", run("sh"), false},
		}},
		{"allow all and deny some", []string{"--allow-read", "--deny-read=" + secret, "--allow-net", "--deny-net=evil.test"}, []check{
			{"read", read("/etc/hostname"), true},
			{"read secret", read(filepath.Join(secret, "key")), false},
			{"listen everywhere", netc(":3000"), true},
			{"net evil", netc("evil.test:443"), false},
			{"env (not allowed in permission mode)", env("HOME"), false},
		}},
		{"listen on all interfaces", []string{"--allow-net=0.0.0.0:3000"}, []check{
			{"empty host", netc(":3000"), true},
			{"::", netc("[::]:3000"), true},
			{"other port", netc(":3001"), false},
		}},
		{"node's --permission alone allows nothing", []string{"--permission"}, []check{
			{"read", read("/etc/hostname"), false},
			{"net", netc("localhost:1"), false},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, dir, tc.flags...)
			for _, c := range tc.checks {
				err := c.fn(f)
				if (err == nil) != c.want {
					t.Errorf("%s: err = %v, want allowed %v", c.name, err, c.want)
				}
				var de *DeniedError
				if err != nil && !errors.As(err, &de) {
					t.Errorf("%s: %T is not a *DeniedError", c.name, err)
				}
			}
		})
	}
}

func TestFilterEnv(t *testing.T) {
	env := []string{"HOME=/h", "NPM_TOKEN=t", "PATH=/bin"}
	if got := parse(t, "/").FilterEnv(env); len(got) != 3 {
		t.Errorf("no flags: %v", got)
	}
	got := parse(t, "/", "--allow-env=HOME,PATH", "--deny-env=PATH").FilterEnv(env)
	if len(got) != 1 || got[0] != "HOME=/h" {
		t.Errorf("filtered: %v", got)
	}
}

func TestDeniedErrorMessage(t *testing.T) {
	f := parse(t, "/", "--allow-read=/srv")
	err := f.CheckRead("/etc/passwd")
	want := "read access to /etc/passwd is not allowed: gnode runs in permission mode (an --allow-* flag was given); allow it with --allow-read=/etc/passwd"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if err := f.CheckNet(":0"); err == nil || !strings.HasSuffix(err.Error(), "allow it with --allow-net=0.0.0.0") {
		t.Errorf("listen suggestion: %v", err)
	}
	f = parse(t, "/", "--deny-net=evil.test")
	if err := f.CheckNet("evil.test:443"); err == nil || err.Error() != "net access to evil.test:443 is denied by --deny-net" {
		t.Errorf("got %v", err)
	}
}

func FuzzParseFlag(f *testing.F) {
	for _, s := range []string{"--allow-net=a:1,[::1]:2", "--deny-read=../x", "--allow-env=", "--allow-run=,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fl := &Flags{}
		if ok, err := fl.ParseFlag(s, "/cwd"); ok && err == nil {
			fl.CheckNet("localhost:80")
			fl.CheckRead("/cwd/x")
		}
	})
}
