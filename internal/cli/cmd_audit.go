package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"gnode/internal/npm/npmrc"
	"gnode/internal/pm/audit"
)

const auditUsage = "gnode audit [--json] [--audit-level=info|low|moderate|high|critical] [--registry URL]"

var cmdAudit = &command{
	summary: "report known vulnerabilities and malicious packages in the installed tree",
	usage:   auditUsage,
	run:     runAudit,
}

func runAudit(s IO, args []string) int {
	jsonOut, level, registry := false, "", ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--json":
			jsonOut = true
		case strings.HasPrefix(a, "--audit-level="):
			level = strings.TrimPrefix(a, "--audit-level=")
		case a == "--audit-level" && i+1 < len(args):
			i++
			level = args[i]
		case strings.HasPrefix(a, "--registry="):
			registry = strings.TrimPrefix(a, "--registry=")
		case a == "--registry" && i+1 < len(args):
			i++
			registry = args[i]
		default:
			return fail(s, fmt.Errorf("unknown audit option %q", a), "usage: "+auditUsage)
		}
	}
	if level != "" && level != "none" && audit.SeverityRank(level) < 0 {
		return fail(s, fmt.Errorf("invalid --audit-level %q", level), "use one of info, low, moderate, high, critical")
	}
	flags := map[string]string{}
	if registry != "" {
		flags["registry"] = registry
	}
	cfg, err := npmrc.Load(npmrc.LoadOptions{Cwd: s.Dir, Env: s.Env, Home: s.Getenv("HOME"), Flags: flags})
	if err != nil {
		return fail(s, err, "")
	}
	if level == "" {
		level = cfg.Get("audit-level")
	}
	base := cfg.Get("audit-registry")
	if base == "" {
		if base, err = cfg.Registry(); err != nil {
			return fail(s, err, "")
		}
	}
	installed, err := audit.LoadInstalled(s.Dir)
	if err != nil {
		return fail(s, err, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	answer, err := audit.Query(ctx, &http.Client{Timeout: 90 * time.Second}, base, cfg.AuthFor(base).Header(), installed.Request())
	if err != nil {
		return fail(s, err, "")
	}
	rep := installed.Match(answer)
	if jsonOut {
		b, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Fprintln(s.Stdout, string(b))
	} else {
		printAudit(s, rep)
	}
	threshold := 0
	if level != "" {
		threshold = audit.SeverityRank(level)
	}
	if level == "none" {
		return 0
	}
	for _, f := range rep.Findings {
		if audit.SeverityRank(f.Severity) >= threshold {
			return 1
		}
	}
	return 0
}

func printAudit(s IO, rep *audit.Report) {
	if len(rep.Findings) == 0 {
		fmt.Fprintf(s.Stdout, "found 0 vulnerabilities in %d packages\n", rep.Dependencies)
		return
	}
	fmt.Fprintf(s.Stdout, "# gnode audit report\n\n")
	for _, f := range rep.Findings {
		ranges := []string{}
		for _, a := range f.Via {
			ranges = append(ranges, a.VulnerableVersions)
		}
		fmt.Fprintf(s.Stdout, "%s  %s (installed %s)\nSeverity: %s\n", f.Name, strings.Join(ranges, " || "), f.Version, f.Severity)
		for _, a := range f.Via {
			fmt.Fprintf(s.Stdout, "%s - %s\n", a.Title, a.URL)
		}
		for i, n := range f.Nodes {
			fmt.Fprintf(s.Stdout, "  %s\n", n)
			if i < len(f.Chains) {
				fmt.Fprintf(s.Stdout, "    pulled in by: %s\n", f.Chains[i])
			}
		}
		fmt.Fprintln(s.Stdout)
	}
	var parts []string
	for i := len(audit.Severities) - 1; i >= 0; i-- {
		if n := rep.Counts[audit.Severities[i]]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, audit.Severities[i]))
		}
	}
	noun := "vulnerabilities"
	if len(rep.Findings) == 1 {
		noun = "vulnerability"
	}
	fmt.Fprintf(s.Stdout, "%d %s (%s)\n", len(rep.Findings), noun, strings.Join(parts, ", "))
}
