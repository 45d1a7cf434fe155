package npmrc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// locateNpm finds the npm executable on PATH (or LoadOptions.NpmPath) and
// npm's package directory, following symlinks: a global npm is usually
// `<prefix>/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js`, and the
// builtin config lives next to it in `<npm package dir>/npmrc`.
func (c *Config) locateNpm() {
	bin := c.opts.NpmPath
	if bin == "" {
		bin = c.lookPath("npm")
	}
	if bin == "" {
		return
	}
	c.npmBin = bin
	real, err := filepath.EvalSymlinks(bin)
	if err != nil {
		return
	}
	// .../npm/bin/npm-cli.js → .../npm
	dir := filepath.Dir(real)
	if filepath.Base(dir) == "bin" {
		pkg := filepath.Dir(dir)
		if fileExists(filepath.Join(pkg, "package.json")) {
			c.npmDir = pkg
		}
	}
}

// lookPath searches Env's PATH (not the process's) for an executable.
func (c *Config) lookPath(name string) string {
	for _, dir := range filepath.SplitList(c.env["PATH"]) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			if !filepath.IsAbs(p) {
				p = filepath.Join(c.cwd, p)
			}
			return p
		}
	}
	return ""
}

// defaultGlobalPrefix is npm's default prefix: $PREFIX, else the node
// installation's root (node at <prefix>/bin/node, plus $DESTDIR), else the
// root of the npm installation (<prefix>/lib/node_modules/npm).
func (c *Config) defaultGlobalPrefix() string {
	if p := c.env["PREFIX"]; p != "" {
		return p
	}
	if node := c.lookPath("node"); node != "" {
		if real, err := filepath.EvalSymlinks(node); err == nil {
			p := filepath.Dir(filepath.Dir(real))
			if d := c.env["DESTDIR"]; d != "" {
				p = filepath.Join(d, p)
			}
			return p
		}
	}
	if c.npmDir != "" {
		nm := filepath.Dir(c.npmDir)
		if filepath.Base(nm) == "node_modules" && filepath.Base(filepath.Dir(nm)) == "lib" {
			return filepath.Dir(filepath.Dir(nm))
		}
	}
	return ""
}

// askNpm runs `npm config get registry` once, in the same directory and
// environment, and returns its answer. It is the last resort of Registry;
// see the package comment.
func (c *Config) askNpm() (string, error) {
	c.npmOnce.Do(func() {
		if c.opts.NoNpmFallback {
			c.npmErr = fmt.Errorf("the npm fallback is disabled")
			return
		}
		if c.npmBin == "" {
			c.npmErr = fmt.Errorf("no npm found on PATH")
			return
		}
		key := c.npmIdentity()
		if r := c.readNpmAnswer(key); r != "" {
			c.npmRegistry = r
			return
		}
		defer func() {
			if c.npmErr == nil {
				c.writeNpmAnswer(key, c.npmRegistry)
			}
		}()
		timeout := c.opts.NpmTimeout
		if timeout <= 0 {
			timeout = 15 * time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, c.npmBin, "config", "get", "registry")
		cmd.Dir = c.cwd
		env := make([]string, 0, len(c.env)+1)
		for k, v := range c.env {
			if k == "HOME" {
				continue
			}
			env = append(env, k+"="+v)
		}
		env = append(env, "HOME="+c.home, "npm_config_update_notifier=false")
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				c.npmErr = fmt.Errorf("`npm config get registry` did not answer within %s", timeout)
				return
			}
			c.npmErr = fmt.Errorf("`npm config get registry` failed: %w: %s", err, strings.TrimSpace(errb.String()))
			return
		}
		reg, err := normalizeRegistry(strings.TrimSpace(out.String()))
		if err != nil {
			c.npmErr = fmt.Errorf("`npm config get registry` answered %q: %w", strings.TrimSpace(out.String()), err)
			return
		}
		c.npmRegistry = reg
	})
	return c.npmRegistry, c.npmErr
}

// The npm fallback costs an npm start (0.5 s to several seconds), too much
// to pay on every gnode run. Its answer is only asked for when no layer
// gnode reads sets a registry, so it is npm's built-in default, which
// depends on the npm installation alone. gnode keeps it in
// <CacheDir>/npm-default-registry.json keyed by npm's package directory and
// its package.json size and time (a new npm version invalidates it).
type npmAnswer struct {
	Key      string `json:"key"`
	Registry string `json:"registry"`
}

func (c *Config) npmIdentity() string {
	dir := c.npmDir
	if dir == "" {
		dir = c.npmBin
	}
	st, err := os.Stat(filepath.Join(dir, "package.json"))
	if err != nil {
		st, err = os.Stat(c.npmBin)
		if err != nil {
			return ""
		}
	}
	return fmt.Sprintf("%s|%d|%d", dir, st.Size(), st.ModTime().UnixNano())
}

// npmAnswerPaths are where the answer is kept: the cache root in use and,
// when $GNODE_CACHE_DIR points elsewhere, the user's default cache root
// too. The answer describes the npm installation, not any cache's
// contents, so a run with a fresh cache directory (a CI job, a benchmark's
// cold install) need not start npm again to learn it.
func (c *Config) npmAnswerPaths() []string {
	paths := []string{filepath.Join(c.CacheDir(), "npm-default-registry.json")}
	user := filepath.Join(c.home, ".cache", "gnode")
	if x := c.env["XDG_CACHE_HOME"]; x != "" && filepath.IsAbs(x) {
		user = filepath.Join(x, "gnode")
	}
	if u := filepath.Join(user, "npm-default-registry.json"); u != paths[0] && c.home != "" {
		paths = append(paths, u)
	}
	return paths
}

func (c *Config) readNpmAnswer(key string) string {
	if key == "" {
		return ""
	}
	for _, p := range c.npmAnswerPaths() {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var a npmAnswer
		if json.Unmarshal(data, &a) != nil || a.Key != key {
			continue
		}
		if r, err := normalizeRegistry(a.Registry); err == nil {
			return r
		}
	}
	return ""
}

// writeNpmAnswer stores the answer through a temp file and a rename;
// failing to store it only costs the next run an npm start.
func (c *Config) writeNpmAnswer(key, registry string) {
	if key == "" {
		return
	}
	data, _ := json.Marshal(npmAnswer{Key: key, Registry: registry})
	for _, p := range c.npmAnswerPaths() {
		if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
			continue
		}
		f, err := os.CreateTemp(filepath.Dir(p), ".npm-registry-*")
		if err != nil {
			continue
		}
		_, werr := f.Write(data)
		cerr := f.Close()
		if werr != nil || cerr != nil || os.Rename(f.Name(), p) != nil {
			os.Remove(f.Name())
		}
	}
}
