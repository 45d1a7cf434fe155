package cli

import (
	"context"
	"errors"
	"fmt"
)

var cmdUnpublish = &command{
	summary: "remove a version, or with --force a whole package, from the registry",
	usage:   "gnode unpublish <pkg>@<version> | gnode unpublish <pkg> --force",
	run:     runUnpublish,
}

func runUnpublish(s IO, args []string) int {
	fs, err := pmeParseFlags(args, []string{"force", "dry-run"}, pmeRegistryFlags)
	if err != nil {
		return fail(s, err, "run `gnode unpublish --help`")
	}
	var name, version string
	switch len(fs.args) {
	case 0:
		if name, err = currentPackageName(s.Dir); err != nil {
			return fail(s, err, "name the package: gnode unpublish <pkg>@<version>")
		}
	case 1:
		name, version = splitNameSpec(fs.args[0])
	default:
		return fail(s, errors.New("unpublish takes one package"), "")
	}
	if version == "*" {
		version = ""
	}
	if version == "" && !fs.bools["force"] {
		return fail(s, errors.New("refusing to delete the entire project"), "run with --force to do this, or name a version: gnode unpublish "+name+"@<version>")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	if !fs.bools["dry-run"] {
		if err := pmeClient(s, cfg, fs, "unpublish").Unpublish(context.Background(), name, version); err != nil {
			return fail(s, err, "")
		}
	}
	if version == "" {
		fmt.Fprintf(s.Stdout, "- %s\n", name)
	} else {
		fmt.Fprintf(s.Stdout, "- %s@%s\n", name, version)
	}
	return 0
}
