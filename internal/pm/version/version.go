// Package version implements `gnode version` (npm version: semver bumps
// written into package.json and the lockfiles with their formatting kept,
// then a git commit and tag) and `gnode init` (npm init's package.json).
package version

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gnode/internal/npm/semver"
	"gnode/internal/pm/manifest"
)

// Releases are the increments Inc accepts.
var Releases = []string{"major", "minor", "patch", "premajor", "preminor", "prepatch", "prerelease", "release"}

var identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$`) })

func isNum(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Inc is node-semver's inc(version, release, {loose: true}, preid) with no
// identifier base, as npm version calls it.
func Inc(current, release, preid string) (string, error) {
	v, err := semver.ParseLoose(strings.TrimSpace(current))
	if err != nil {
		return "", fmt.Errorf("invalid current version %q: %w", current, err)
	}
	if strings.HasPrefix(release, "pre") && preid != "" && !identRe().MatchString(preid) {
		return "", fmt.Errorf("invalid identifier: %s", preid)
	}
	pre := append([]string{}, v.Prerelease...)
	maj, min, pat := v.Major, v.Minor, v.Patch
	var incPre func()
	incPre = func() {
		if len(pre) == 0 {
			pre = []string{"0"}
		} else {
			bumped := false
			for i := len(pre) - 1; i >= 0; i-- {
				if isNum(pre[i]) {
					n, _ := strconv.ParseUint(pre[i], 10, 64)
					pre[i] = strconv.FormatUint(n+1, 10)
					bumped = true
					break
				}
			}
			if !bumped {
				pre = append(pre, "0")
			}
		}
		if preid != "" {
			ids := strings.Split(preid, ".")
			same := len(ids) <= len(pre)
			for i := 0; same && i < len(ids); i++ {
				if pre[i] != ids[i] {
					same = false
				}
			}
			if same {
				if len(pre) <= len(ids) || !isNum(pre[len(ids)]) {
					pre = []string{preid, "0"}
				}
			} else {
				pre = []string{preid, "0"}
			}
		}
	}
	incPatch := func() {
		if len(pre) == 0 {
			pat++
		}
		pre = nil
	}
	switch release {
	case "premajor":
		pre, pat, min = nil, 0, 0
		maj++
		incPre()
	case "preminor":
		pre, pat = nil, 0
		min++
		incPre()
	case "prepatch":
		pre = nil
		incPatch()
		incPre()
	case "prerelease":
		if len(pre) == 0 {
			incPatch()
		}
		incPre()
	case "release":
		if len(pre) == 0 {
			return "", fmt.Errorf("version %s is not a prerelease", current)
		}
		pre = nil
	case "major":
		if min != 0 || pat != 0 || len(pre) == 0 {
			maj++
		}
		min, pat, pre = 0, 0, nil
	case "minor":
		if pat != 0 || len(pre) == 0 {
			min++
		}
		pat, pre = 0, nil
	case "patch":
		incPatch()
	default:
		return "", fmt.Errorf("invalid increment argument: %s", release)
	}
	s := fmt.Sprintf("%d.%d.%d", maj, min, pat)
	if len(pre) > 0 {
		s += "-" + strings.Join(pre, ".")
	}
	return s, nil
}

// Options are npm version's flags.
type Options struct {
	Preid            string
	GitTagVersion    bool   // commit and tag (npm's default: true)
	AllowSameVersion bool   // --allow-same-version
	Force            bool   // proceed with a dirty tree
	CommitHooks      bool   // false adds -n to git commit
	SignGitCommit    bool   // -S
	SignGitTag       bool   // -s
	Message          string // commit/tag message, %s is the version ("%s" by default)
	TagVersionPrefix string // "v" by default
	Git              string // git executable ("git")
	Env              []string
	// Script, when set, runs the preversion, version and postversion
	// lifecycle scripts with the old and new versions.
	Script func(event, oldVersion, newVersion string) error
}

// Bump changes dir's version to newversion (a version or a release name)
// and returns the new version (without prefix).
func Bump(dir, newversion string, o Options) (string, error) {
	pjPath := filepath.Join(dir, "package.json")
	m, err := manifest.Read(pjPath)
	if err != nil {
		return "", err
	}
	current := m.Version
	if current == "" {
		current = "0.0.0"
	}
	var newV string
	if v, ok := semver.Valid(newversion, true); ok {
		newV = v
	} else {
		cleanCur, ok := semver.Valid(current, true)
		if !ok {
			return "", fmt.Errorf("invalid version in %s: %q", pjPath, current)
		}
		if newV, err = Inc(cleanCur, newversion, o.Preid); err != nil {
			return "", fmt.Errorf("invalid version: %s (%w)", newversion, err)
		}
	}
	cleanCur, _ := semver.Valid(current, true)
	if newV == cleanCur && !o.AllowSameVersion {
		return "", errors.New("version not changed")
	}
	gitBin := o.Git
	if gitBin == "" {
		gitBin = "git"
	}
	_, statErr := os.Stat(filepath.Join(dir, ".git"))
	doGit := o.GitTagVersion && statErr == nil
	if doGit {
		out, err := runGit(gitBin, dir, o.Env, "status", "--porcelain=v1", "-uno")
		if err != nil {
			if errors.Is(err, exec.ErrNotFound) {
				doGit = false
			} else {
				return "", err
			}
		} else if strings.TrimSpace(out) != "" && !o.Force {
			return "", errors.New("git working directory not clean")
		}
	}
	script := func(ev string) error {
		if o.Script == nil {
			return nil
		}
		return o.Script(ev, current, newV)
	}
	if err := script("preversion"); err != nil {
		return "", err
	}
	m.Doc.Set("version", manifest.StringValue(newV))
	m.Doc.Delete("_id")
	if err := m.Write(); err != nil {
		return "", err
	}
	var locks []string
	for _, lf := range []string{"package-lock.json", "npm-shrinkwrap.json"} {
		p := filepath.Join(dir, lf)
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		lm, err := manifest.Parse(p, b)
		if err != nil {
			continue
		}
		lm.Doc.Set("version", manifest.StringValue(newV))
		if pk := lm.Doc.Get("packages"); pk != nil && pk.Kind == manifest.ObjectKind {
			if root := pk.Object.Get(""); root != nil && root.Kind == manifest.ObjectKind {
				root.Object.Set("version", manifest.StringValue(newV))
			}
		}
		if err := manifest.WriteFileAtomic(p, lm.Bytes()); err != nil {
			return "", err
		}
		locks = append(locks, p)
	}
	if err := script("version"); err != nil {
		return "", err
	}
	if doGit {
		if _, err := runGit(gitBin, dir, o.Env, "add", pjPath); err != nil {
			return "", err
		}
		for _, l := range locks {
			runGit(gitBin, dir, o.Env, "add", l) // lockfiles may be ignored
		}
		msg := o.Message
		if msg == "" {
			msg = "%s"
		}
		msg = strings.ReplaceAll(msg, "%s", newV)
		args := []string{"commit"}
		if !o.CommitHooks {
			args = append(args, "-n")
		}
		if o.AllowSameVersion {
			args = append(args, "--allow-empty")
		}
		if o.SignGitCommit {
			args = append(args, "-S")
		}
		if _, err := runGit(gitBin, dir, o.Env, append(args, "-m", msg)...); err != nil {
			return "", err
		}
		flags := "-"
		if o.SignGitTag {
			flags += "s"
		}
		if o.AllowSameVersion {
			flags += "f"
		}
		flags += "m"
		prefix := o.TagVersionPrefix
		if _, err := runGit(gitBin, dir, o.Env, "tag", flags, msg, prefix+newV); err != nil {
			return "", err
		}
	}
	if err := script("postversion"); err != nil {
		return "", err
	}
	return newV, nil
}

func runGit(git, dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(git, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
