package registry_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gnode/internal/registry"
)

// publishWithReadme publishes name@version whose README is readme.
func publishWithReadme(t *testing.T, r *testRegistry, tok, name, version, readme string) {
	t.Helper()
	var doc map[string]any
	json.Unmarshal([]byte(publishDoc(t, name, version, publishOpts{})), &doc)
	v := doc["versions"].(map[string]any)[version].(map[string]any)
	v["readme"] = readme
	v["readmeFilename"] = "README.md"
	b, _ := json.Marshal(doc)
	if st, body := r.do("PUT", escName(name), tok, string(b), nil); st != 201 {
		t.Fatalf("publish: %d %s", st, body)
	}
}

const hostileReadme = "# Hello Web\n\nSome *emphasis* and `code`.\n\n<script>document.title='pwned'</script>\n\n<img src=x onerror=\"document.title='pwned'\">\n\n[click](javascript:document.title='pwned')\n"

func TestWebPagesHTML(t *testing.T) {
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	publishWithReadme(t, r, tok, "web-pkg", "1.0.0", hostileReadme)
	r.mustPublish(tok, "other-thing", "0.1.0")

	st, body := r.do("GET", "", "", "", nil)
	if st != 200 || !strings.Contains(string(body), "web-pkg") || !strings.Contains(string(body), "other-thing") {
		t.Errorf("index: %d %s", st, body)
	}
	st, body = r.do("GET", "?q=web", "", "", nil)
	if st != 200 || !strings.Contains(string(body), "web-pkg") || strings.Contains(string(body), "other-thing") {
		t.Errorf("search page: %d %s", st, body)
	}
	st, body = r.do("GET", "-/web/package/web-pkg", "", "", nil)
	page := string(body)
	if st != 200 || !strings.Contains(page, "<h1>Hello Web</h1>") || !strings.Contains(page, "<em>emphasis</em>") {
		t.Errorf("package page: %d %s", st, page)
	}
	for _, bad := range []string{"<script>document", "onerror=", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("package page carries %q from the README", bad)
		}
	}
	if !strings.Contains(page, "gnode install web-pkg") {
		t.Errorf("package page lacks the install command")
	}
	// The README is top-level only, not repeated in every version object.
	v := r.packument("web-pkg", false)["versions"].(map[string]any)["1.0.0"].(map[string]any)
	if _, ok := v["readme"]; ok {
		t.Errorf("version object still carries the README")
	}
	if st, _ := r.do("GET", "-/web/package/nope", "", "", nil); st != 404 {
		t.Errorf("missing package page: %d", st)
	}
}

func findChromium() string {
	for _, c := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// TestWebPagesInChromium loads the package page in headless Chromium and
// checks what a person sees: the rendered README, versions and install
// command, and that the hostile README ran no script.
func TestWebPagesInChromium(t *testing.T) {
	chrome := findChromium()
	if chrome == "" {
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	r := startRegistry(t, registry.Config{})
	tok := r.addUser("alice", "password123")
	publishWithReadme(t, r, tok, "web-pkg", "1.0.0", hostileReadme)
	publishWithReadme(t, r, tok, "web-pkg", "1.1.0", hostileReadme)

	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=3000"}
	dom, err := exec.CommandContext(ctx, chrome, append(args, "--dump-dom", r.URL+"-/web/package/web-pkg")...).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	d := string(dom)
	if strings.Contains(d, "pwned") && strings.Contains(d, "<title>pwned") {
		t.Errorf("a script from the README ran: %s", d)
	}
	for _, want := range []string{`<h1 id="name">web-pkg</h1>`, "<h1>Hello Web</h1>", "gnode install web-pkg", "1.1.0", "1.0.0", "<title>web-pkg - gnode registry</title>"} {
		if !strings.Contains(d, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	shot := filepath.Join(os.TempDir(), "gnode-registry-page.png")
	exec.CommandContext(ctx, chrome, append(args, "--window-size=1200,800", "--screenshot="+shot, r.URL+"-/web/package/web-pkg")...).Run()
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Errorf("no screenshot: %v", err)
	}
}
