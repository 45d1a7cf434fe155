package registry_test

import (
	"crypto/sha512"

	"gnode/internal/registry/meta"
)

func sha512Sum(b []byte) []byte {
	s := sha512.Sum512(b)
	return s[:]
}

func advisory(id int64, name, rng string) meta.Advisory {
	return meta.Advisory{ID: id, Name: name, VulnerableVersions: rng, Severity: "high", Title: "bad thing in " + name, URL: "https://example.invalid/advisories/1", CWE: []string{"CWE-400"}, CVSSScore: 7.5}
}
