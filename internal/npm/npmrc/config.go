// Package npmrc reads npm's configuration the way npm 11 does: command-line
// flags, `npm_config_*` environment variables, and the project, user, global
// and builtin .npmrc files, over a small table of npm's defaults.
//
// # Precedence
//
// Highest first:
//
//  1. flags (LoadOptions.Flags),
//  2. `npm_config_*` environment variables (the prefix is case-insensitive;
//     the rest is lowercased and `_` becomes `-`, except a leading `_` and
//     keys starting with `//`, which are kept as written),
//  3. the project's .npmrc: in the nearest directory upward from the working
//     directory that holds a package.json or a node_modules folder (npm's
//     "local prefix"; workspace roots are not looked for). It is skipped when
//     it is the same file as the user config,
//  4. the user config: `userconfig` from the layers above, else `~/.npmrc`,
//  5. the global config: `globalconfig` from the layers above, else
//     `<prefix>/etc/npmrc`, where prefix comes from the layers above, else
//     `$PREFIX`, else the node (or npm) installation found on PATH,
//  6. npm's builtin config: `<npm package dir>/npmrc`, found by following the
//     `npm` on PATH to `.../npm/bin/npm-cli.js`,
//  7. defaults: npm's defaults for the options gnode reads, except the
//     registry (see below).
//
// Keys and values of every layer have `${VAR}` and `${VAR?}` expanded from the
// environment, like npm.
//
// # The registry
//
// npm's own default registry is the public one. gnode does not write any
// registry host in its code, so Registry resolves it in this order:
//
//  1. `registry` from any layer above (flags, env, project, user, global,
//     builtin);
//  2. as a last resort, the npm client itself: `npm config get registry` is
//     run once (with the same environment and working directory, and a short
//     timeout, LoadOptions.NpmTimeout) and its answer is used when it is an
//     http(s) URL. That is how a machine with npm installed but no registry
//     configured gets npm's default without gnode naming it. The answer is
//     npm's built-in default (every place npm would find another value is
//     a layer gnode reads first), so it is cached in
//     <CacheDir>/npm-default-registry.json (and the user's default cache
//     root, so a fresh $GNODE_CACHE_DIR need not ask again), keyed by the npm installation,
//     and later runs do not start npm. The query is skipped when
//     LoadOptions.NoNpmFallback is set or no npm is on PATH;
//  3. otherwise Registry returns a *NoRegistryError that says how to set one.
//
// The package reads files and the environment passed in LoadOptions; it does
// no network I/O.
package npmrc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Where names a configuration layer.
type Where string

// The layers, highest precedence first.
const (
	WhereCLI     Where = "cli"
	WhereEnv     Where = "env"
	WhereProject Where = "project"
	WhereUser    Where = "user"
	WhereGlobal  Where = "global"
	WhereBuiltin Where = "builtin"
	WhereDefault Where = "default"
	// WhereNpm marks a registry learned from `npm config get registry`.
	WhereNpm Where = "npm"
)

// LoadOptions says where to read configuration from. Zero values fall back to
// the process: Cwd to the working directory, Env to os.Environ(), Home to
// $HOME from Env.
type LoadOptions struct {
	Cwd  string
	Env  []string
	Home string
	// Flags are command-line options without the leading dashes
	// ("registry", "omit", "ignore-scripts"). A list option may hold
	// several values separated by a blank line ("dev\n\noptional"), as
	// npm accepts in the environment.
	Flags map[string]string
	// NpmPath is the npm executable to use for the builtin config and the
	// registry fallback; "" looks `npm` up on Env's PATH.
	NpmPath string
	// NoNpmFallback disables running `npm config get registry`.
	NoNpmFallback bool
	// NpmTimeout bounds the npm fallback; 0 means 15 s (npm itself can take
	// several seconds to start on a loaded machine).
	NpmTimeout time.Duration
}

// Layer is one source of configuration.
type Layer struct {
	Where Where
	// File is the file read, "" for flags, env and defaults.
	File string
	// Err is the error reading File, nil when it was read or is absent.
	Err    error
	values map[string]value
}

type value struct {
	s    string
	list []string
}

// Config is the loaded configuration. It is safe for concurrent use.
type Config struct {
	layers       []*Layer // highest precedence first
	env          map[string]string
	home, cwd    string
	projectDir   string
	hasPkgJSON   bool
	globalPrefix string
	npmBin       string // the npm executable ("" when none)
	npmDir       string // npm's package directory ("" when unknown)
	opts         LoadOptions

	npmOnce     sync.Once
	npmRegistry string
	npmErr      error

	credOnce sync.Once
	creds    *credIndex // see credentials
}

// Load reads the configuration chain. Missing files are not errors; an
// unreadable file is (it names the file).
func Load(opts LoadOptions) (*Config, error) {
	c := &Config{opts: opts, env: map[string]string{}}
	envList := opts.Env
	if envList == nil {
		envList = os.Environ()
	}
	for _, kv := range envList {
		if k, v, ok := strings.Cut(kv, "="); ok {
			c.env[k] = v
		}
	}
	c.cwd = opts.Cwd
	if c.cwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("npmrc: working directory: %w", err)
		}
		c.cwd = wd
	}
	c.cwd = filepath.Clean(c.cwd)
	c.home = opts.Home
	if c.home == "" {
		c.home = c.env["HOME"]
	}
	if c.home == "" {
		c.home, _ = os.UserHomeDir()
	}
	c.locateNpm()
	c.globalPrefix = c.defaultGlobalPrefix()

	defaults := &Layer{Where: WhereDefault, values: map[string]value{}}
	for k, v := range npmDefaults() {
		defaults.values[k] = value{s: v}
	}
	if c.env["NODE_ENV"] == "production" {
		defaults.values["omit"] = value{list: []string{"dev"}}
	} else {
		defaults.values["omit"] = value{list: []string{}}
	}
	if c.globalPrefix != "" {
		defaults.values["prefix"] = value{s: c.globalPrefix}
	}

	var builtin *Layer
	if c.npmDir != "" {
		builtin = c.readFile(WhereBuiltin, filepath.Join(c.npmDir, "npmrc"))
	} else {
		builtin = &Layer{Where: WhereBuiltin, values: map[string]value{}}
	}

	cli := &Layer{Where: WhereCLI, values: map[string]value{}}
	for k, v := range opts.Flags {
		c.set(cli, k, v, false)
	}
	envLayer := &Layer{Where: WhereEnv, values: map[string]value{}}
	for k, v := range c.env {
		if len(k) < len("npm_config_") || !strings.EqualFold(k[:len("npm_config_")], "npm_config_") || v == "" {
			continue
		}
		key := k[len("npm_config_"):]
		if !strings.HasPrefix(key, "//") {
			key = envKey(key)
		}
		c.set(envLayer, key, v, false)
	}
	// The layers are consulted in precedence order while later ones load:
	// the project layer can move the user config, and so on.
	c.layers = []*Layer{cli, envLayer, defaults}
	c.findProject()
	project := &Layer{Where: WhereProject, values: map[string]value{}}
	if !c.GetBool("global") && c.Get("location") != "global" {
		pf := filepath.Join(c.projectDir, ".npmrc")
		if pf != c.userConfigPath() {
			project = c.readFile(WhereProject, pf)
		}
	}
	c.layers = []*Layer{cli, envLayer, project, defaults}
	user := c.readFile(WhereUser, c.userConfigPath())
	c.layers = []*Layer{cli, envLayer, project, user, defaults}
	global := c.readFile(WhereGlobal, c.globalConfigPath())
	c.layers = []*Layer{cli, envLayer, project, user, global, builtin, defaults}
	for _, l := range c.layers {
		if l.Err != nil {
			return c, fmt.Errorf("npmrc: reading %s config %s: %w", l.Where, l.File, l.Err)
		}
	}
	return c, nil
}

// envKey turns the part of an environment variable after `npm_config_` into
// a config key: lowercase, `_` → `-` except a leading `_` (`_auth`).
func envKey(k string) string {
	b := []byte(strings.ToLower(k))
	for i := 1; i < len(b); i++ {
		if b[i] == '_' {
			b[i] = '-'
		}
	}
	return string(b)
}

func (c *Config) lookupEnv(name string) (string, bool) {
	v, ok := c.env[name]
	return v, ok
}

// set stores one raw key/value into a layer, expanding the environment and
// normalising paths and lists like npm's parseField.
func (c *Config) set(l *Layer, key, raw string, appendList bool) {
	key = expandEnv(key, c.lookupEnv)
	if listKeys()[key] {
		old := l.values[key]
		var items []string
		if appendList {
			items = append(items, old.list...)
			items = append(items, c.field(key, raw))
		} else {
			items = []string{}
			for _, part := range strings.Split(trimJS(raw), "\n\n") {
				if f := c.field(key, part); f != "" {
					items = append(items, f)
				}
			}
		}
		l.values[key] = value{list: items}
		return
	}
	if appendList {
		old, ok := l.values[key]
		items := append([]string(nil), old.list...)
		if ok && old.list == nil {
			items = append(items, old.s)
		}
		items = append(items, c.field(key, raw))
		l.values[key] = value{s: items[len(items)-1], list: items}
		return
	}
	if old, ok := l.values[key]; ok && old.list != nil {
		// ini keeps appending once a key became a list, even without [].
		items := append(append([]string(nil), old.list...), c.field(key, raw))
		l.values[key] = value{s: items[len(items)-1], list: items}
		return
	}
	l.values[key] = value{s: c.field(key, raw)}
}

// field normalises one value: trimmed, environment expanded, and for path
// options `~/` expanded and made absolute against the working directory.
func (c *Config) field(key, raw string) string {
	f := trimJS(raw)
	if f == "true" || f == "false" || f == "null" {
		return f
	}
	f = expandEnv(f, c.lookupEnv)
	if pathKeys()[key] {
		if strings.HasPrefix(f, "~/") && c.home != "" {
			f = filepath.Join(c.home, f[2:])
		} else if !filepath.IsAbs(f) {
			f = filepath.Join(c.cwd, f)
		} else {
			f = filepath.Clean(f)
		}
	}
	return f
}

func (c *Config) readFile(where Where, file string) *Layer {
	l := &Layer{Where: where, File: file, values: map[string]value{}}
	data, err := os.ReadFile(file)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			l.Err = err
		}
		return l
	}
	for _, e := range Parse(string(data)) {
		if e.Section != "" || e.Object {
			// npm nests keys under [section] into an object, and keeps
			// JSON objects as objects; no option reads either.
			continue
		}
		c.set(l, e.Key, e.Value, e.List)
	}
	return l
}

func (c *Config) userConfigPath() string {
	return c.Get("userconfig")
}

func (c *Config) globalConfigPath() string {
	for _, l := range c.layers {
		if v, ok := l.values["globalconfig"]; ok && v.s != "" {
			return v.s
		}
	}
	p := c.Get("prefix")
	if p == "" {
		return ""
	}
	return filepath.Join(p, "etc", "npmrc")
}

// findProject sets projectDir: the --prefix flag, else the nearest directory
// upward from cwd holding package.json or node_modules, else cwd.
func (c *Config) findProject() {
	if p, ok := c.layers[0].values["prefix"]; ok && p.s != "" {
		c.projectDir = p.s
		c.hasPkgJSON = fileExists(filepath.Join(p.s, "package.json"))
		return
	}
	for dir := c.cwd; ; {
		if fileExists(filepath.Join(dir, "package.json")) {
			c.projectDir, c.hasPkgJSON = dir, true
			return
		}
		if st, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil && st.IsDir() {
			c.projectDir = dir
			return
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	c.projectDir = c.cwd
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Lookup returns the effective value of key and the layer it came from;
// ok is false when no layer sets it. A list value is returned as its last
// element.
func (c *Config) Lookup(key string) (v string, where Where, ok bool) {
	for _, l := range c.layers {
		if val, found := l.values[key]; found {
			if val.list != nil && val.s == "" {
				if len(val.list) == 0 {
					return "", l.Where, true
				}
				return val.list[len(val.list)-1], l.Where, true
			}
			return val.s, l.Where, true
		}
	}
	switch key {
	case "globalconfig":
		if p := c.globalConfigPath(); p != "" {
			return p, WhereDefault, true
		}
	case "userconfig":
		if c.home != "" {
			return filepath.Join(c.home, ".npmrc"), WhereDefault, true
		}
	}
	return "", "", false
}

// Get returns the effective value of key, "" when unset.
func (c *Config) Get(key string) string {
	v, _, _ := c.Lookup(key)
	return v
}

// GetBool reports whether key is set to true.
func (c *Config) GetBool(key string) bool {
	return c.Get(key) == "true"
}

// GetInt returns key as an integer, def when unset or not a number.
func (c *Config) GetInt(key string, def int) int {
	v := c.Get(key)
	if v == "" {
		return def
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return def
	}
	return int(n)
}

// GetList returns a list option (`omit`, `include`, `key[]=` arrays): the
// values from the highest layer that sets it.
func (c *Config) GetList(key string) []string {
	for _, l := range c.layers {
		if val, found := l.values[key]; found {
			if val.list != nil {
				return append([]string(nil), val.list...)
			}
			if val.s == "" || val.s == "null" {
				return nil
			}
			return []string{val.s}
		}
	}
	return nil
}

// Omit is npm's effective omit list, sorted: `omit`, plus `dev` when
// `production` is true or `only` is prod/production, minus `include`.
func (c *Config) Omit() []string {
	set := map[string]bool{}
	for _, o := range c.GetList("omit") {
		set[o] = true
	}
	if c.GetBool("production") {
		set["dev"] = true
	}
	if o := c.Get("only"); o == "prod" || o == "production" {
		set["dev"] = true
	}
	for _, inc := range c.GetList("include") {
		delete(set, inc)
	}
	if a := c.Get("also"); a == "dev" || a == "development" {
		delete(set, "dev")
	}
	if c.GetBool("dev") {
		delete(set, "dev")
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Layers returns the layers, highest precedence first.
func (c *Config) Layers() []*Layer { return c.layers }

// ProjectDir is npm's local prefix: where the project's package.json lives.
func (c *Config) ProjectDir() string { return c.projectDir }

// Cwd is the working directory the configuration was loaded for.
func (c *Config) Cwd() string { return c.cwd }

// Home is the home directory used for `~/.npmrc` and `~/` paths.
func (c *Config) Home() string { return c.home }

// Env returns an environment variable from the environment Load read.
func (c *Config) Env(name string) string { return c.env[name] }

// NpmPath is the npm executable found on PATH, "" when there is none.
func (c *Config) NpmPath() string { return c.npmBin }

// Files lists the config files consulted, highest precedence first.
func (c *Config) Files() []string {
	var out []string
	for _, l := range c.layers {
		if l.File != "" {
			out = append(out, l.File)
		}
	}
	return out
}

// CacheDir is gnode's cache root: $GNODE_CACHE_DIR, else
// $XDG_CACHE_HOME/gnode, else ~/.cache/gnode. gnode keeps its own cache
// (npm's `cache` option points at npm's cacache, a different format).
func (c *Config) CacheDir() string {
	if d := c.env["GNODE_CACHE_DIR"]; d != "" {
		if !filepath.IsAbs(d) {
			d = filepath.Join(c.cwd, d)
		}
		return filepath.Clean(d)
	}
	if x := c.env["XDG_CACHE_HOME"]; x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "gnode")
	}
	return filepath.Join(c.home, ".cache", "gnode")
}

// npmDefaults are npm 11's defaults for the options gnode reads. The
// registry is deliberately absent (see the package comment).
var npmDefaults = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"fetch-retries":                   "2",
		"fetch-retry-factor":              "10",
		"fetch-retry-mintimeout":          "10000",
		"fetch-retry-maxtimeout":          "60000",
		"fetch-timeout":                   "300000",
		"maxsockets":                      "15",
		"strict-ssl":                      "true",
		"ignore-scripts":                  "false",
		"offline":                         "false",
		"prefer-offline":                  "false",
		"prefer-online":                   "false",
		"omit-lockfile-registry-resolved": "false",
		"save":                            "true",
		"save-exact":                      "false",
		"save-prefix":                     "^",
		"package-lock":                    "true",
		"audit":                           "true",
		"fund":                            "true",
		"global":                          "false",
		"legacy-peer-deps":                "false",
		"strict-peer-deps":                "false",
		"engine-strict":                   "false",
		"force":                           "false",
		"foreground-scripts":              "false",
		"loglevel":                        "notice",
		"tag":                             "latest",
	}
})

// listKeys are options npm types as arrays.
var listKeys = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"omit": true, "include": true, "ca": true, "workspace": true,
	}
})

// pathKeys are options npm types as paths.
var pathKeys = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"cache": true, "cafile": true, "userconfig": true, "globalconfig": true,
		"prefix": true, "init-module": true, "globalignorefile": true,
	}
})
