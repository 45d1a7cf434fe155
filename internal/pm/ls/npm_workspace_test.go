package ls

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/npm/npmrc"
	"gnode/internal/npm/packument"
	"gnode/internal/registryclient"
)

// TestWorkspacesAndAliasesMatchNpm: on a tree npm installed (a workspace
// with its own nested dependency, an alias, a bundled dependency, peer,
// dev and optional edges), ls, why and outdated print what npm ls, npm
// explain and npm outdated print; after reinstalling it with gnode's
// isolated layout they still do.
func TestWorkspacesAndAliasesMatchNpm(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: differential ls test skipped")
	}
	dir, env := isolatedFixture(t)
	home := t.TempDir()
	npmEnv := append(os.Environ(), "HOME="+home, "npm_config_cache="+filepath.Join(home, "npm-cache"), "npm_config_update_notifier=false", "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=")
	npm := func(args ...string) string {
		cmd := exec.Command("npm", args...)
		cmd.Dir, cmd.Env = dir, npmEnv
		out, err := cmd.Output()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("npm %v: %v", args, err)
		}
		return string(out)
	}
	npm("install", "--no-audit", "--no-fund", "--loglevel=error")
	type view struct {
		name string
		npm  []string
		ls   func(root *Node) string
	}
	views := []view{
		{"ls", []string{"ls"}, func(r *Node) string { return List(r, Options{Depth: -1, Unicode: true}).Output }},
		{"ls --all", []string{"ls", "--all"}, func(r *Node) string { return List(r, Options{All: true, Depth: -1, Unicode: true}).Output }},
		{"ls --all --json", []string{"ls", "--all", "--json"}, func(r *Node) string { return List(r, Options{All: true, Depth: -1, JSON: true}).Output }},
		{"ls --json", []string{"ls", "--json"}, func(r *Node) string { return List(r, Options{Depth: -1, JSON: true}).Output }},
		{"ls lf", []string{"ls", "leaf"}, func(r *Node) string { return List(r, Options{Depth: -1, Args: []string{"leaf"}, Unicode: true}).Output }},
	}
	for _, name := range []string{"leaf", "mid", "shared", "inner"} {
		name := name
		views = append(views, view{"why " + name, []string{"explain", name}, func(r *Node) string { return Explain(r, Find(r, name)) }})
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: dir, Env: []string{"HOME=" + home}, Home: home})
	if err != nil {
		t.Fatal(err)
	}
	client := registryclient.New(cfg, registryclient.Options{})
	defer client.Close()
	fetch := func(ctx context.Context, name string) (*packument.Packument, error) {
		return client.Packument(ctx, name)
	}
	for _, all := range []bool{false, true} {
		all := all
		args := []string{"outdated"}
		if all {
			args = append(args, "--all")
		}
		for _, asJSON := range []bool{false, true} {
			asJSON := asJSON
			a := args
			if asJSON {
				a = append(append([]string{}, args...), "--json")
			}
			views = append(views, view{strings.Join(a, " "), a, func(r *Node) string {
				list, err := Outdated(context.Background(), r, fetch, OutdatedOptions{All: all})
				if err != nil {
					return err.Error()
				}
				if asJSON {
					return OutdatedJSON(list, false) + "\n"
				}
				return OutdatedTable(list, false) + "\n" // the CLI prints it with Println
			}})
		}
	}
	want := map[string]string{}
	for _, v := range views {
		want[v.name] = npm(v.npm...)
	}
	check := func(layout string) {
		root, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range views {
			if got := v.ls(root); got != want[v.name] {
				t.Errorf("%s (%s layout) differs from npm\ngnode:\n%s\nnpm:\n%s", v.name, layout, got, want[v.name])
			}
		}
	}
	check("npm's")
	if !strings.Contains(want["ls --all"], "-> ./packages/a") {
		t.Fatalf("fixture has no workspace link:\n%s", want["ls --all"])
	}
	installAs(t, dir, env, "isolated")
	check("isolated")
}
