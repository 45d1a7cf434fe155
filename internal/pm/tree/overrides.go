package tree

import (
	"fmt"
	"strings"

	"gnode/internal/pm/manifest"
)

// npm's "overrides" (https://docs.npmjs.com/cli/configuring-npm/package-json#overrides):
//
//	"overrides": {
//	  "foo": "1.0.0",                      // every foo in the tree
//	  "bar@^2": {".": "2.1.0", "baz": "3"} // bar@^2 itself, and baz below any such bar
//	  "qux": "$qux"                        // the root's own spec for qux
//	}
//
// A node's rule set is the chain of rule lists that apply in its subtree;
// the innermost matching rule wins.
type overrideRule struct {
	name     string
	keyRange string // "" when the key has no @range
	value    string // replacement spec, "" when only children are given
	children []*overrideRule
}

type overrideSet struct {
	parent *overrideSet
	rules  []*overrideRule
}

// parseOverrides reads the root manifest's overrides.
func parseOverrides(m *manifest.Manifest) (*overrideSet, error) {
	if m.Overrides == nil || m.Overrides.Kind != manifest.ObjectKind {
		return nil, nil
	}
	rootSpec := func(name string) string {
		for _, deps := range []map[string]string{m.Dependencies, m.DevDependencies, m.OptionalDependencies, m.PeerDependencies} {
			if s, ok := deps[name]; ok {
				return s
			}
		}
		return ""
	}
	rules, err := parseRules(m.Overrides.Object, rootSpec)
	if err != nil {
		return nil, err
	}
	return &overrideSet{rules: rules}, nil
}

func parseRules(o *manifest.Object, rootSpec func(string) string) ([]*overrideRule, error) {
	var out []*overrideRule
	for _, key := range o.Keys {
		if key == "." {
			continue
		}
		r := &overrideRule{name: key}
		if at := strings.LastIndexByte(key, '@'); at > 0 {
			r.name, r.keyRange = key[:at], key[at+1:]
		}
		v := o.Vals[key]
		switch v.Kind {
		case manifest.String:
			r.value = v.Str
		case manifest.ObjectKind:
			if dot := v.Object.Get("."); dot != nil && dot.Kind == manifest.String {
				r.value = dot.Str
			}
			kids, err := parseRules(v.Object, rootSpec)
			if err != nil {
				return nil, err
			}
			r.children = kids
		default:
			return nil, fmt.Errorf("invalid override for %q: want a string or an object", key)
		}
		if strings.HasPrefix(r.value, "$") {
			ref := r.value[1:]
			s := rootSpec(ref)
			if s == "" {
				return nil, fmt.Errorf("unable to resolve reference %s in overrides: %s is not a direct dependency of the project", r.value, ref)
			}
			r.value = s
		}
		out = append(out, r)
	}
	return out, nil
}

// match finds the innermost rule for a dependency named name whose spec is
// spec. A keyed range matches when the spec's versions can satisfy it:
// an identical range, or the key range accepting the spec's minimum.
func (s *overrideSet) match(name, spec string) *overrideRule {
	for set := s; set != nil; set = set.parent {
		for _, r := range set.rules {
			if r.name != name {
				continue
			}
			if r.keyRange == "" || r.keyRange == spec || rangesOverlap(r.keyRange, spec) {
				return r
			}
		}
	}
	return nil
}

// rangesOverlap is a conservative intersection test: it samples the
// boundary versions written in the spec and checks them against key.
func rangesOverlap(key, spec string) bool {
	kr, err := parseRange(key)
	if err != nil {
		return false
	}
	for _, tok := range strings.FieldsFunc(spec, func(r rune) bool { return r == ' ' || r == '|' }) {
		tok = strings.TrimLeft(tok, "^~<>=v")
		if v := parseVersion(tok); v != nil && kr.Test(v) {
			return true
		}
	}
	return false
}

// childSet is the rule set for the subtree of a node created through rule r.
func (s *overrideSet) childSet(r *overrideRule) *overrideSet {
	if r == nil || len(r.children) == 0 {
		return s
	}
	return &overrideSet{parent: s, rules: r.children}
}
