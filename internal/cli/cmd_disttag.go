package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"gnode/internal/pm/manifest"
)

var cmdDistTag = &command{
	summary: "add, remove and list a package's dist-tags",
	usage: `gnode dist-tag add <pkg>@<version> [<tag>]
gnode dist-tag rm <pkg> <tag>
gnode dist-tag ls [<pkg>]

  <tag> defaults to --tag or "latest"; ls without a package uses the current
  folder's package.json.`,
	run: runDistTag,
}

// splitNameSpec splits "name@spec" ("@scope/name@spec" included).
func splitNameSpec(arg string) (name, spec string) {
	at := strings.LastIndexByte(arg, '@')
	if at <= 0 {
		return arg, ""
	}
	return arg[:at], arg[at+1:]
}

// currentPackageName reads the name from dir's package.json.
func currentPackageName(dir string) (string, error) {
	m, err := manifest.Read(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	if m.Name == "" {
		return "", fmt.Errorf("%s has no name", m.Path)
	}
	return m.Name, nil
}

func runDistTag(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, append([]string{"tag"}, pmeRegistryFlags...))
	if err != nil {
		return fail(s, err, "run `gnode dist-tag --help`")
	}
	if len(fs.args) == 0 {
		return fail(s, errors.New("dist-tag needs a subcommand: add, rm or ls"), "run `gnode dist-tag --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	c := pmeClient(s, cfg, fs, "dist-tag")
	ctx := context.Background()
	sub, rest := fs.args[0], fs.args[1:]
	switch sub {
	case "add", "set":
		if len(rest) < 1 || len(rest) > 2 {
			return fail(s, errors.New("usage: gnode dist-tag add <pkg>@<version> [<tag>]"), "")
		}
		name, version := splitNameSpec(rest[0])
		if version == "" {
			return fail(s, fmt.Errorf("%s names no version", rest[0]), "write <pkg>@<version>")
		}
		tag := fs.strs["tag"]
		if len(rest) == 2 {
			tag = rest[1]
		}
		if tag == "" {
			tag = "latest"
		}
		if err := c.DistTagAdd(ctx, name, version, tag); err != nil {
			return fail(s, err, "")
		}
		fmt.Fprintf(s.Stdout, "+%s: %s@%s\n", tag, name, version)
	case "rm":
		if len(rest) != 2 {
			return fail(s, errors.New("usage: gnode dist-tag rm <pkg> <tag>"), "")
		}
		name, _ := splitNameSpec(rest[0])
		tags, err := c.DistTags(ctx, name)
		if err != nil {
			return fail(s, err, "")
		}
		if err := c.DistTagRm(ctx, name, rest[1]); err != nil {
			return fail(s, err, "")
		}
		fmt.Fprintf(s.Stdout, "-%s: %s@%s\n", rest[1], name, tags[rest[1]])
	case "ls", "list":
		var name string
		if len(rest) > 0 {
			name, _ = splitNameSpec(rest[0])
		} else if name, err = currentPackageName(s.Dir); err != nil {
			return fail(s, err, "name a package: gnode dist-tag ls <pkg>")
		}
		tags, err := c.DistTags(ctx, name)
		if err != nil {
			return fail(s, err, "")
		}
		keys := make([]string, 0, len(tags))
		for k := range tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(s.Stdout, "%s: %s\n", k, tags[k])
		}
	default:
		return fail(s, fmt.Errorf("unknown dist-tag subcommand %q", sub), "use add, rm or ls")
	}
	return 0
}
