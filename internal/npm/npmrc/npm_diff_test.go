package npmrc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDifferentialNpmConfigGet builds configuration worlds (files, env,
// flags) and compares gnode's effective values with `npm config get`.
func TestDifferentialNpmConfigGet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts npm eight times; skipped in -short mode")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not installed: skipping the differential test against npm config get")
	}
	type scenario struct {
		name  string
		files map[string]string // relative to the world root
		env   []string
		flags map[string]string
		cwd   string
		keys  []string
	}
	common := []string{"registry", "fetch-retries", "strict-ssl", "ignore-scripts", "omit-lockfile-registry-resolved",
		"offline", "prefer-offline", "maxsockets", "cafile", "omit", "userconfig", "globalconfig", "prefix"}
	scenarios := []scenario{
		{
			name: "layers",
			files: map[string]string{
				"prefix/etc/npmrc": "registry=http://global.test/\nfetch-retries=7\nmaxsockets=3\nstrict-ssl=false\n",
				"home/.npmrc":      "registry=http://user.test/\nfetch-retries=6\n",
				"proj/.npmrc":      "registry=http://project.test/\n",
			},
			cwd:  "proj/sub/dir",
			keys: common,
		},
		{
			name: "env beats project",
			files: map[string]string{
				"proj/.npmrc": "registry=http://project.test/\nignore-scripts=false\n",
			},
			env:  []string{"NPM_CONFIG_REGISTRY=http://env.test/", "npm_config_Ignore_Scripts=true", "npm_config_prefer_offline=true"},
			cwd:  "proj",
			keys: common,
		},
		{
			name:  "flags beat env",
			env:   []string{"npm_config_registry=http://env.test/", "npm_config_offline=true"},
			flags: map[string]string{"registry": "http://flag.test/", "offline": "false"},
			cwd:   "proj",
			keys:  common,
		},
		{
			name: "expansion quoting comments",
			files: map[string]string{
				"proj/.npmrc": strings.Join([]string{
					"@${SCOPE}:registry=http://${RHOST}/scoped/",
					"registry = \"http://quoted.test/\" ",
					"cafile=~/certs/ca.pem",
					"omit[]=dev",
					"omit[]=optional",
					"fetch-retries=${RETRIES}",
					"maxsockets=${NOPE?}9 ; comment",
					"strict-ssl",
				}, "\n"),
			},
			env:  []string{"SCOPE=acme", "RHOST=scoped.test:8080", "RETRIES=4"},
			cwd:  "proj/sub",
			keys: append([]string{"@acme:registry"}, common...),
		},
		{
			name: "userconfig moved by project, globalconfig by prefix",
			files: map[string]string{
				"proj/.npmrc":       "userconfig=${HOME}/../alt/npmrc\n",
				"alt/npmrc":         "registry=http://alt-user.test/\nprefix=${HOME}/../p2\n",
				"p2/etc/npmrc":      "fetch-retries=9\n",
				"prefix/etc/npmrc":  "fetch-retries=1\n",
				"home/.npmrc":       "registry=http://ignored.test/\n",
				"proj/node_modules": "",
			},
			cwd:  "proj",
			keys: common,
		},
		{
			name: "escapes and env lists",
			files: map[string]string{
				"proj/.npmrc": "registry='http://single.test/#not-a-comment'\ncafile=\\${HOME}/x\nfetch-retries=\"3\"\n",
			},
			env:  []string{"NODE_ENV=production", "npm_config_maxsockets=", "NPM_CONFIG_OMIT=optional"},
			cwd:  "proj",
			keys: common,
		},
		{
			name: "NODE_ENV production",
			env:  []string{"NODE_ENV=production"},
			cwd:  "proj",
			keys: common,
		},
		{
			name: "no project (node_modules marks the root)",
			files: map[string]string{
				"loose/node_modules/.keep": "",
				"loose/.npmrc":             "registry=http://loose.test/\n",
			},
			cwd:  "loose",
			keys: common,
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t)
			w.env = []string{"HOME=" + w.home, "PREFIX=" + w.prefix, "PATH=" + os.Getenv("PATH")}
			for rel, body := range sc.files {
				if filepath.Base(rel) == "node_modules" {
					os.MkdirAll(filepath.Join(w.root, rel), 0o755)
					continue
				}
				w.write(t, rel, body)
			}
			env := append(append([]string(nil), w.env...), sc.env...)
			args := append([]string{"config", "get"}, sc.keys...)
			for k, v := range sc.flags {
				args = append(args, "--"+k+"="+v)
			}
			cmd := exec.Command(npm, args...)
			cmd.Dir = filepath.Join(w.root, sc.cwd)
			cmd.Env = append(env, "npm_config_update_notifier=false")
			out, err := cmd.Output()
			if err != nil {
				t.Skipf("npm config get failed: %v", err)
			}
			npmVals := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				k, v, _ := strings.Cut(line, "=")
				npmVals[k] = v
			}
			c, err := Load(LoadOptions{Cwd: filepath.Join(w.root, sc.cwd), Env: env, Flags: sc.flags, NoNpmFallback: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range sc.keys {
				want, ok := npmVals[k]
				if !ok {
					t.Errorf("npm printed no %q: %s", k, out)
					continue
				}
				var got string
				if listKeys()[k] {
					got = strings.Join(c.GetList(k), ",")
				} else {
					v, _, set := c.Lookup(k)
					got = v
					if !set {
						got = "null"
						if k == "registry" {
							// gnode has no built-in registry (see the
							// package comment); npm prints its own default.
							continue
						}
					}
				}
				if got != want && !(want == "undefined" && got == "null") {
					t.Errorf("%s: gnode %q, npm %q", k, got, want)
				}
			}
		})
	}
}
