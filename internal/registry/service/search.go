package service

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"gnode/internal/npm/semver"
	"gnode/internal/registry/meta"
)

// Search answers /-/v1/search in npm's response shape.
func (s *Service) Search(ctx context.Context, text string, from, size int) (map[string]any, error) {
	if size <= 0 || size > 250 {
		size = 20
	}
	if from < 0 {
		from = 0
	}
	hits, total, err := s.meta.Search(ctx, text, from, size)
	if err != nil {
		return nil, err
	}
	objects := make([]map[string]any, 0, len(hits))
	for _, h := range hits {
		var doc struct {
			Description string   `json:"description"`
			Keywords    []string `json:"keywords"`
		}
		json.Unmarshal(h.Doc, &doc)
		p, _ := s.meta.Package(ctx, h.Name)
		maint := []map[string]string{}
		if p != nil {
			for _, m := range p.Maintainers {
				maint = append(maint, map[string]string{"username": m})
			}
		}
		score := 0.5
		if h.Name == text {
			score = 1
		}
		pkg := map[string]any{
			"name":        h.Name,
			"version":     h.Latest,
			"description": doc.Description,
			"keywords":    doc.Keywords,
			"date":        npmTime(h.Modified),
			"links":       map[string]string{},
			"maintainers": maint,
		}
		if len(maint) > 0 {
			pkg["publisher"] = maint[0]
		}
		if len(h.Name) > 0 && h.Name[0] == '@' {
			pkg["scope"] = h.Name[1:bytes.IndexByte([]byte(h.Name), '/')]
		} else {
			pkg["scope"] = "unscoped"
		}
		objects = append(objects, map[string]any{
			"package":     pkg,
			"score":       map[string]any{"final": score, "detail": map[string]float64{"quality": score, "popularity": score, "maintenance": score}},
			"searchScore": score,
		})
	}
	return map[string]any{"objects": objects, "total": total, "time": time.Now().UTC().Format(time.RFC1123)}, nil
}

// AddAdvisory stores an advisory for the bulk audit endpoint.
func (s *Service) AddAdvisory(ctx context.Context, a meta.Advisory) error {
	if a.Name == "" || a.ID == 0 {
		return errorf(KindInvalid, "an advisory needs an id and a package name")
	}
	if _, err := semver.ParseRange(a.VulnerableVersions); err != nil {
		return errorf(KindInvalid, "invalid vulnerable_versions range %q", a.VulnerableVersions)
	}
	return s.meta.PutAdvisory(ctx, a)
}

// AuditBulk answers POST /-/npm/v1/security/advisories/bulk: body is
// {name: [versions]}, possibly gzipped. Advisories are returned for the
// packages where at least one listed version is vulnerable; the uplink's
// answer is merged in when it supports the endpoint.
func (s *Service) AuditBulk(ctx context.Context, body []byte) (map[string][]map[string]any, error) {
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, errorf(KindInvalid, "invalid gzip body: %v", err)
		}
		body, err = io.ReadAll(io.LimitReader(zr, 64<<20))
		if err != nil {
			return nil, errorf(KindInvalid, "invalid gzip body: %v", err)
		}
	}
	var req map[string][]string
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, errorf(KindInvalid, "invalid audit request: %v", err)
	}
	names := make([]string, 0, len(req))
	for n := range req {
		names = append(names, n)
	}
	advs, err := s.meta.Advisories(ctx, names)
	if err != nil {
		return nil, err
	}
	out := map[string][]map[string]any{}
	for _, a := range advs {
		r, err := semver.ParseRange(a.VulnerableVersions)
		if err != nil {
			continue
		}
		hit := false
		for _, vs := range req[a.Name] {
			if v, err := semver.Parse(vs); err == nil && r.Test(v) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		cwe := a.CWE
		if cwe == nil {
			cwe = []string{}
		}
		out[a.Name] = append(out[a.Name], map[string]any{
			"id": a.ID, "url": a.URL, "title": a.Title, "severity": a.Severity,
			"vulnerable_versions": a.VulnerableVersions, "cwe": cwe,
			"cvss": map[string]any{"score": a.CVSSScore, "vectorString": nullable(a.CVSSVector)},
		})
	}
	if u := s.opts.Uplink; u != nil {
		u.mergeAudit(ctx, body, out)
	}
	return out, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// mergeAudit forwards the request upstream; failures (the mirror answers
// 405) leave the local answer as it is.
func (u *Uplink) mergeAudit(ctx context.Context, body []byte, out map[string][]map[string]any) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.URL+"-/npm/v1/security/advisories/bulk", bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.Client.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return
	}
	var up map[string][]map[string]any
	if json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&up) != nil {
		return
	}
	for name, list := range up {
		seen := map[any]bool{}
		for _, a := range out[name] {
			seen[a["id"]] = true
		}
		for _, a := range list {
			if !seen[a["id"]] {
				out[name] = append(out[name], a)
			}
		}
	}
}
