package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"gnode/internal/registry"
)

var cmdRegistry = &command{
	summary: "run an npm-compatible registry and manage its users",
	usage: `gnode registry serve --listen 127.0.0.1:4873 --data DIR [--signup] [--uplink URL] [--db postgres://...] [--prefix /path] [--private] [--max-body-mb 200]
       gnode registry user add NAME --data DIR [--db URL] [--email E]   (password on stdin)
       gnode registry advisories import FILE... --data DIR [--db URL]   (OSV JSON, incl. MAL- records)
       gnode registry team add TEAM USER... --data DIR [--db URL]
       gnode registry scope set @SCOPE --team TEAM --data DIR [--db URL]`,
	run: runRegistry,
}

func registryFlags(name string, s IO) (*flag.FlagSet, *registry.Config) {
	cfg := &registry.Config{}
	fs := flag.NewFlagSet("gnode registry "+name, flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.StringVar(&cfg.Data, "data", "", "folder for metadata (SQLite) and tarballs")
	fs.StringVar(&cfg.DB, "db", "", "PostgreSQL URL for metadata (postgres://...)")
	return fs, cfg
}

func runRegistry(s IO, args []string) int {
	if len(args) == 0 {
		return fail(s, errors.New("missing subcommand"), "usage: gnode registry serve|user ...")
	}
	switch args[0] {
	case "serve":
		return registryServe(s, args[1:])
	case "user":
		if len(args) < 2 || args[1] != "add" {
			return fail(s, errors.New("unknown registry user command"), "usage: gnode registry user add NAME --data DIR")
		}
		return registryUserAdd(s, args[2:])
	case "team":
		if len(args) < 4 || args[1] != "add" {
			return fail(s, errors.New("usage: gnode registry team add TEAM USER... --data DIR"), "")
		}
		return registryAdmin(s, args[2:], func(ctx context.Context, reg *registry.Registry, pos []string) (string, error) {
			if len(pos) < 2 {
				return "", errors.New("give a team and at least one user")
			}
			for _, u := range pos[1:] {
				if err := reg.Service.AddTeamMember(ctx, pos[0], u); err != nil {
					return "", err
				}
			}
			return fmt.Sprintf("team %s: added %s", pos[0], strings.Join(pos[1:], ", ")), nil
		})
	case "scope":
		if len(args) < 3 || args[1] != "set" {
			return fail(s, errors.New("usage: gnode registry scope set @SCOPE --team TEAM --data DIR"), "")
		}
		team := ""
		rest := []string{}
		for i := 2; i < len(args); i++ {
			if args[i] == "--team" && i+1 < len(args) {
				team = args[i+1]
				i++
				continue
			}
			if v, ok := strings.CutPrefix(args[i], "--team="); ok {
				team = v
				continue
			}
			rest = append(rest, args[i])
		}
		return registryAdmin(s, rest, func(ctx context.Context, reg *registry.Registry, pos []string) (string, error) {
			if len(pos) != 1 || team == "" {
				return "", errors.New("give one @scope and --team TEAM")
			}
			if err := reg.Service.SetScopeTeam(ctx, pos[0], team); err != nil {
				return "", err
			}
			return fmt.Sprintf("scope %s now belongs to team %s", pos[0], team), nil
		})
	case "advisories":
		if len(args) < 2 || args[1] != "import" {
			return fail(s, errors.New("unknown registry advisories command"), "usage: gnode registry advisories import FILE... --data DIR")
		}
		return registryAdvisoriesImport(s, args[2:])
	}
	return fail(s, fmt.Errorf("unknown registry subcommand %q", args[0]), "usage: gnode registry serve|user ...")
}

func registryServe(s IO, args []string) int {
	fs, cfg := registryFlags("serve", s)
	listen := fs.String("listen", "127.0.0.1:4873", "address to listen on")
	fs.BoolVar(&cfg.Signup, "signup", false, "let npm adduser create accounts")
	fs.StringVar(&cfg.Uplink, "uplink", "", "upstream registry URL to proxy and cache")
	fs.StringVar(&cfg.Prefix, "prefix", "", "path prefix the registry is served under")
	fs.BoolVar(&cfg.Private, "private", false, "require authentication for every read")
	maxBodyMB := fs.Int64("max-body-mb", 200, "largest request body accepted, in MB (a publish carries its tarball in base64); larger ones get 413")
	verbose := fs.Bool("verbose", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *maxBodyMB <= 0 {
		return fail(s, fmt.Errorf("--max-body-mb must be positive, got %d", *maxBodyMB), "")
	}
	cfg.MaxBody = *maxBodyMB << 20
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	cfg.Log = slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	reg, err := registry.Open(ctx, *cfg)
	if err != nil {
		return fail(s, err, "")
	}
	defer reg.Close()
	err = reg.Serve(ctx, *listen, func(addr string) {
		fmt.Fprintf(s.Stdout, "gnode registry listening on http://%s/\n", addr)
	})
	if err != nil {
		return fail(s, err, "")
	}
	fmt.Fprintln(s.Stdout, "gnode registry stopped")
	return 0
}

func registryUserAdd(s IO, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fail(s, errors.New("missing user name"), "usage: gnode registry user add NAME --data DIR (password on stdin)")
	}
	name := args[0]
	fs, cfg := registryFlags("user add", s)
	email := fs.String("email", "", "the user's email")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	line, err := bufio.NewReader(s.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fail(s, fmt.Errorf("read password from stdin: %w", err), "")
	}
	password := strings.TrimRight(line, "\r\n")
	ctx := context.Background()
	reg, err := registry.Open(ctx, *cfg)
	if err != nil {
		return fail(s, err, "")
	}
	defer reg.Close()
	if err := reg.Service.AddUser(ctx, name, password, *email); err != nil {
		return fail(s, err, "")
	}
	fmt.Fprintf(s.Stdout, "added user %s\n", name)
	return 0
}

func registryAdvisoriesImport(s IO, args []string) int {
	fs, cfg := registryFlags("advisories import", s)
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) == 0 {
		return fail(s, errors.New("no advisory files given"), "usage: gnode registry advisories import FILE... --data DIR")
	}
	ctx := context.Background()
	reg, err := registry.Open(ctx, *cfg)
	if err != nil {
		return fail(s, err, "")
	}
	defer reg.Close()
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fail(s, err, "")
		}
		n, err := reg.Service.ImportOSV(ctx, data)
		if err != nil {
			return fail(s, fmt.Errorf("%s: %w", f, err), "")
		}
		total += n
	}
	fmt.Fprintf(s.Stdout, "imported %d advisories from %d file(s)\n", total, len(files))
	return 0
}

// registryAdmin parses --data/--db around positional arguments, opens the
// registry's stores and runs one administrative change.
func registryAdmin(s IO, args []string, do func(context.Context, *registry.Registry, []string) (string, error)) int {
	fs, cfg := registryFlags("admin", s)
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	ctx := context.Background()
	reg, err := registry.Open(ctx, *cfg)
	if err != nil {
		return fail(s, err, "")
	}
	defer reg.Close()
	msg, err := do(ctx, reg, pos)
	if err != nil {
		return fail(s, err, "")
	}
	fmt.Fprintln(s.Stdout, msg)
	return 0
}
