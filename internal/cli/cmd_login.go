package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"gnode/internal/pm/publish"
)

var cmdLogin = &command{
	summary: "log in to a registry and save the token in ~/.npmrc",
	usage: `gnode login [--registry <url>] [--username <name>] [--email <addr>] [--otp <code>]

  Uses the registry's couch login (PUT /-/user/org.couchdb.user:<name>) and
  writes //host/:_authToken=<token> to the user .npmrc. On a terminal it
  prompts; otherwise it reads the username (unless --username is given)
  and then the password from standard input, one per line.`,
	run: runLogin,
}

var cmdLogout = &command{
	summary: "revoke the registry token and remove it from ~/.npmrc",
	usage:   "gnode logout [--registry <url>]",
	run:     runLogout,
}

var cmdWhoami = &command{
	summary: "print the user name the registry knows you as",
	usage:   "gnode whoami [--registry <url>]",
	run:     runWhoami,
}

func isTerminal(r io.Reader) (*os.File, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return nil, false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return f, err == nil
}

// readSecret reads a line with echo off when in is a terminal.
func readSecret(in *bufio.Reader, f *os.File, tty bool) (string, error) {
	if tty {
		fd := int(f.Fd())
		if old, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
			noEcho := *old
			noEcho.Lflag &^= unix.ECHO
			unix.IoctlSetTermios(fd, unix.TCSETS, &noEcho)
			defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
		}
	}
	return readLine(in)
}

func readLine(in *bufio.Reader) (string, error) {
	l, err := in.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && l != "") {
		return "", err
	}
	return strings.TrimRight(l, "\r\n"), nil
}

func runLogin(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, append([]string{"username", "email", "auth-type", "scope"}, pmeRegistryFlags...))
	if err != nil {
		return fail(s, err, "run `gnode login --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	reg, err := cfg.Registry()
	if err != nil {
		return fail(s, err, "")
	}
	if sc := fs.strs["scope"]; sc != "" {
		if reg, err = cfg.RegistryFor(strings.TrimSuffix(sc, "/") + "/x"); err != nil {
			return fail(s, err, "")
		}
	}
	f, tty := isTerminal(s.Stdin)
	in := bufio.NewReader(s.Stdin)
	user := fs.strs["username"]
	if user == "" {
		if tty {
			fmt.Fprint(s.Stderr, "Username: ")
		}
		if user, err = readLine(in); err != nil || user == "" {
			return fail(s, errors.New("no username given"), "pass --username or type it on standard input")
		}
	}
	if tty {
		fmt.Fprint(s.Stderr, "Password: ")
	}
	pass, err := readSecret(in, f, tty)
	if tty {
		fmt.Fprintln(s.Stderr)
	}
	if err != nil || pass == "" {
		return fail(s, errors.New("no password given"), "type the password on standard input")
	}
	fmt.Fprintf(s.Stderr, "gnode notice Log in on %s\n", reg)
	c := pmeClient(s, cfg, fs, "login")
	token, err := c.Login(context.Background(), reg, user, pass, fs.strs["email"])
	if err != nil {
		return fail(s, err, "")
	}
	key, err := publish.TokenKey(reg)
	if err != nil {
		return fail(s, err, "")
	}
	rc := userConfigPath(cfg)
	if err := publish.SaveToken(rc, key, token); err != nil {
		return fail(s, fmt.Errorf("save the token in %s: %w", rc, err), "")
	}
	fmt.Fprintf(s.Stdout, "Logged in on %s.\n", reg)
	return 0
}

func runLogout(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, append([]string{"scope"}, pmeRegistryFlags...))
	if err != nil {
		return fail(s, err, "run `gnode logout --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	reg, err := cfg.Registry()
	if err != nil {
		return fail(s, err, "")
	}
	c := pmeClient(s, cfg, fs, "logout")
	if err := c.Logout(context.Background(), reg); err != nil {
		return fail(s, err, "")
	}
	key, _ := publish.TokenKey(reg)
	rc := userConfigPath(cfg)
	if err := publish.SaveToken(rc, key, ""); err != nil {
		return fail(s, fmt.Errorf("remove the token from %s: %w", rc, err), "")
	}
	return 0
}

func runWhoami(s IO, args []string) int {
	fs, err := pmeParseFlags(args, nil, pmeRegistryFlags)
	if err != nil {
		return fail(s, err, "run `gnode whoami --help`")
	}
	cfg, err := pmeConfig(s, fs)
	if err != nil {
		return fail(s, err, "")
	}
	reg, err := cfg.Registry()
	if err != nil {
		return fail(s, err, "")
	}
	name, err := pmeClient(s, cfg, fs, "whoami").Whoami(context.Background(), reg)
	if err != nil {
		return fail(s, err, "run `gnode login`")
	}
	fmt.Fprintln(s.Stdout, name)
	return 0
}
