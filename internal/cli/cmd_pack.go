package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gnode/internal/pm/pack"
)

var cmdPack = &command{
	summary: "create a tarball from a package, like npm pack",
	usage: `gnode pack [<folder>] [--dry-run] [--json] [--pack-destination <dir>]

  Selects files the way npm does (the "files" field, .npmignore, .gitignore,
  always-included and always-excluded files, bundled dependencies) and writes
  <name>-<version>.tgz (scope-name-version.tgz for scoped packages).`,
	run: runPack,
}

// pmeFlagSet is the small flag parser the pm-E commands share: boolean flags,
// string flags given as "--k v" or "--k=v", and positionals.
type pmeFlagSet struct {
	bools   map[string]bool
	strs    map[string]string
	args    []string
	strKeys map[string]bool
}

func pmeParseFlags(args []string, boolKeys, strKeys []string) (*pmeFlagSet, error) {
	fs := &pmeFlagSet{bools: map[string]bool{}, strs: map[string]string{}, strKeys: map[string]bool{}}
	isBool := map[string]bool{}
	for _, k := range boolKeys {
		isBool[k] = true
	}
	for _, k := range strKeys {
		fs.strKeys[k] = true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			fs.args = append(fs.args, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			fs.args = append(fs.args, a)
			continue
		}
		key, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case isBool[key]:
			fs.bools[key] = !hasVal || val == "true"
		case strings.HasPrefix(key, "no-") && isBool[key[3:]]:
			fs.bools[key[3:]] = false
		case fs.strKeys[key]:
			if !hasVal {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("flag --%s needs a value", key)
				}
				i++
				val = args[i]
			}
			fs.strs[key] = val
		default:
			return nil, fmt.Errorf("unknown flag %s", a)
		}
	}
	return fs, nil
}

func runPack(s IO, args []string) int {
	fs, err := pmeParseFlags(args, []string{"dry-run", "json"}, []string{"pack-destination"})
	if err != nil {
		return fail(s, err, "run `gnode pack --help`")
	}
	dir := s.Dir
	if len(fs.args) > 1 {
		return fail(s, fmt.Errorf("pack takes at most one folder"), "")
	}
	if len(fs.args) == 1 {
		dir = fs.args[0]
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(s.Dir, dir)
		}
	}
	res, err := pack.Pack(dir)
	if err != nil {
		return fail(s, err, "")
	}
	if !fs.bools["dry-run"] {
		dest := s.Dir
		if d := fs.strs["pack-destination"]; d != "" {
			dest = d
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(s.Dir, dest)
			}
		}
		if _, err := res.Write(dest); err != nil {
			return fail(s, fmt.Errorf("write tarball: %w", err), "")
		}
	}
	if fs.bools["json"] {
		return runPackJSON(s, res)
	}
	printPackSummary(s.Stderr, res)
	fmt.Fprintln(s.Stdout, res.Filename)
	return 0
}

// printPackSummary prints npm's "Tarball Contents" / "Tarball Details" notice.
func printPackSummary(w io.Writer, r *pack.Result) {
	n := func(f string, a ...any) { fmt.Fprintf(w, "gnode notice "+f+"\n", a...) }
	n("")
	n("package: %s@%s", r.Name, r.Version)
	n("Tarball Contents")
	for _, f := range r.Files {
		if !strings.HasPrefix(f.Path, "node_modules/") {
			n("%s %s", pack.FormatBytes(f.Size, false), f.Path)
		}
	}
	if len(r.Bundled) > 0 {
		n("Bundled Dependencies")
		for _, b := range r.Bundled {
			n("%s", b)
		}
	}
	n("Tarball Details")
	n("name: %s", r.Name)
	n("version: %s", r.Version)
	n("filename: %s", r.Filename)
	n("package size: %s", pack.FormatBytes(int64(r.Size), true))
	n("unpacked size: %s", pack.FormatBytes(r.UnpackedSize, true))
	n("shasum: %s", r.Shasum)
	n("integrity: %s", r.Integrity)
	if len(r.Bundled) > 0 {
		own := 0
		for _, f := range r.Files {
			if !strings.HasPrefix(f.Path, "node_modules/") {
				own++
			}
		}
		n("bundled deps: %d", len(r.Bundled))
		n("bundled files: %d", r.EntryCount-own)
		n("own files: %d", own)
	}
	n("total files: %d", r.EntryCount)
	n("")
}

func runPackJSON(s IO, res *pack.Result) int {
	b, _ := json.MarshalIndent([]*pack.Result{res}, "", "  ")
	fmt.Fprintf(s.Stdout, "%s\n", b)
	return 0
}
