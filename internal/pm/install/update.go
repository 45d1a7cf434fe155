package install

// `gnode update` is an install whose resolution forgets what
// package-lock.json pins for some names (all of them with no names), so
// those resolve to the newest versions their ranges allow. Like npm 11's
// `npm update`, it goes through the whole install path: the cooling-off
// period, signatures, advisories and the chosen layout all apply, and the
// lockfile and node_modules are rewritten.

// updating reports whether this run is `gnode update`.
func (o Options) updating() bool {
	return o.UpdateAll || len(o.Update) > 0
}

// unlocked drops the lockfile's versions of the names being updated from
// the versions the resolver prefers. Updating everything starts from no
// lockfile at all, as npm does (arborist resets the lockfile when every
// package is updated), so the tree is what a fresh install would build.
func (o Options) unlocked(pref map[string][]string) map[string][]string {
	if o.UpdateAll {
		return nil
	}
	if len(o.Update) == 0 || pref == nil {
		return pref
	}
	out := make(map[string][]string, len(pref))
	for name, vs := range pref {
		out[name] = vs
	}
	for _, name := range o.Update {
		delete(out, name)
	}
	return out
}
