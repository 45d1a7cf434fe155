package packument

import (
	"iter"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A cold install decodes about a thousand packuments holding ~68,000
// versions and installs ~950 of them: decoding every version's
// dependencies, dist and bin up front was a fifth of the install's CPU and
// most of its live heap. DecodeLazy reads of each version only what picking
// one and the trust checks read of versions that are not installed (its
// Head), validates the rest and remembers where the version's object lies
// in the document; Manifest decodes the rest of a version the first time it
// is asked for. The document's bytes stay with the packument.
//
// Every reader goes through the accessors below (Manifest, Head,
// VersionKeys, HasVersion, AllVersions, Times, Clone, DeleteVersion), which
// work the same on packuments decoded eagerly, whose Versions and Time
// fields are filled, and on lazy ones, whose Versions and Time are nil.

// Head is what is known of a version without decoding it: what picking a
// version reads of the versions it passes over (deprecation and engines),
// and whether it carries provenance. The values are the ones the version's
// Manifest has.
type Head struct {
	Version      string
	Deprecated   Deprecated
	Engines      Engines
	Attestations *Attestations
}

// lazyDoc is what the copies of a lazily decoded packument (Clone) share:
// the document, each version's head and object, and the versions decoded
// so far.
type lazyDoc struct {
	data    []byte
	name    string // the packument's name, given to versions without one
	entries []lazyVersion
	rare    []rareHead
	live    int // entries that are versions (not null)
	// keys maps every key of "versions" to its entry (null ones too).
	keys map[string]int32
	// timeSpans are the document's "time" objects; Times decodes them
	// once into a map, versionTimes into vtimes (by entry) for
	// PublishTime: the release-age filter reads every version's time,
	// and a map of ~68,000 times for a cold install cost 25 ms and 9 MB.
	timeSpans []span
	mu        sync.Mutex // held while a version or the times decode
	times     atomic.Pointer[map[string]string]
	vtimes    atomic.Pointer[versionTimes]
	// err is the first version that failed to decode. The first pass
	// validates what it does not decode, so on a document it accepted
	// this stays nil; tests check that.
	err error
}

// versionTimes is the "time" text of each entry ("" when none), and
// whether "time" has any string at all (Times is not empty).
type versionTimes struct {
	text []string
	any  bool
}

// lazyVersion is one key of the document's "versions" object: 56 bytes
// and three pointers, for the ~60,000 versions of a cold install's
// documents (what only some versions have is in rareHead).
type lazyVersion struct {
	key     string
	engines Engines // the head's
	m       atomic.Pointer[Manifest]
	// obj is the version's object in data.
	obj span
	// rare is 1 + the index of the version's rareHead in lazyDoc.rare,
	// 0 when it has none.
	rare int32
	// null is set when the key's last value was null: the version does
	// not exist.
	null bool
}

// rareHead is what few versions have: a "version" other than their key,
// deprecation, provenance.
type rareHead struct {
	version      string // "" when the key
	deprecated   Deprecated
	attestations *Attestations
}

// DecodeLazy is DecodeForInstall that decodes each version's manifest only
// when Manifest asks for it. data must not be modified afterwards: the
// packument keeps it. A document DecodeLazy accepts decodes every version
// without error (the parts not decoded up front are checked to be valid
// JSON, so it refuses some malformed documents DecodeForInstall accepts).
func DecodeLazy(data []byte) (*Packument, error) {
	l := &lazyDoc{}
	d := &decoder{data: data, intern: map[string]string{}, forInstall: true, lazy: l}
	p, err := d.run()
	if err != nil {
		return nil, err
	}
	l.data = data
	return p, nil
}

// DecodeLazyCompact is DecodeLazy that keeps the document compacted like
// DecodeForInstallCompact's: the packument keeps its own copy of data less
// the members the decoder steps over unread, which is also returned
// (read-only: for the metadata cache). data is not modified and not kept,
// so its buffer can be reused at once.
func DecodeLazyCompact(data []byte) (*Packument, []byte, error) {
	return DecodeLazyCompactAfter(nil, data)
}

// DecodeLazyCompactAfter is DecodeLazyCompact whose returned bytes are a
// copy of head followed by the compacted document, in one buffer: the
// metadata cache writes its header line and the document with one
// write. The packument keeps the document (and the few bytes of head
// before it).
func DecodeLazyCompactAfter(head, data []byte) (*Packument, []byte, error) {
	l := &lazyDoc{}
	cuts := getCuts()
	defer putCuts(cuts)
	d := &decoder{data: data, intern: map[string]string{}, forInstall: true, lazy: l, cuts: (*cuts)[:0]}
	p, err := d.run()
	*cuts = d.cuts
	if err != nil {
		return nil, data, err
	}
	out := compactCopy(head, data, d.cuts)
	l.data = out[len(head):]
	l.remap(d.cuts)
	return p, out, nil
}

// The cuts of a document are only needed until it is compacted: a cold
// install's ~850 documents make ~250,000 of them, and growing a fresh
// list for each was 7 MB of allocations.
var cutPool = sync.Pool{New: func() any { s := make([]span, 0, 1024); return &s }}

func getCuts() *[]span { return cutPool.Get().(*[]span) }

func putCuts(s *[]span) {
	*s = (*s)[:0]
	cutPool.Put(s)
}

// compactCopy is head followed by compact(data, cuts), in a new buffer,
// leaving data as it is. The kept ranges are copied once, straight into a
// buffer that is not zeroed first (strings.Builder's Grow): compacting in
// place and then cloning moved the kept bytes twice. The result must not
// be modified: it is the bytes of a string.
func compactCopy(head, data []byte, cuts []span) []byte {
	n := len(head) + len(data)
	for _, c := range cuts {
		n -= c.end - c.start
	}
	if n == 0 {
		return []byte{}
	}
	var b strings.Builder
	b.Grow(n)
	b.Write(head)
	at := 0
	for _, c := range cuts {
		b.Write(data[at:c.start])
		at = c.end
	}
	b.Write(data[at:])
	s := b.String()
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// remap moves every recorded span to where compact put it: an offset
// moves back by the bytes of the cuts that end at or before it. Cuts never
// straddle a span's ends (they are members of objects inside a version or
// beside the "versions" and "time" members).
func (l *lazyDoc) remap(cuts []span) {
	if len(cuts) == 0 {
		return
	}
	var prefix []int // bytes removed by cuts[0..i]
	search := func(x int) int {
		if prefix == nil {
			prefix = make([]int, len(cuts))
			total := 0
			for i, c := range cuts {
				total += c.end - c.start
				prefix[i] = total
			}
		}
		i := sort.Search(len(cuts), func(i int) bool { return cuts[i].end > x })
		if i == 0 {
			return x
		}
		return x - prefix[i-1]
	}
	// The spans are mostly in document order (the versions' objects,
	// then the times): one walk along the cuts moves them; the others (a
	// key given again, times before the versions) are searched for.
	c, removed, last := 0, 0, 0
	at := func(x int) int {
		if x < last {
			return search(x)
		}
		last = x
		for c < len(cuts) && cuts[c].end <= x {
			removed += cuts[c].end - cuts[c].start
			c++
		}
		return x - removed
	}
	for i := range l.entries {
		e := &l.entries[i]
		if e.obj.end != 0 {
			e.obj.start, e.obj.end = at(e.obj.start), at(e.obj.end)
		}
	}
	for i := range l.timeSpans {
		s := &l.timeSpans[i]
		s.start, s.end = at(s.start), at(s.end)
	}
}

// finishLazy fills p's version index once the document is read, leaving
// out versions whose last value was null.
func (d *decoder) finishLazy(p *Packument) {
	l := d.lazy
	l.name = p.Name
	p.lazy = l
	l.keys = d.vindex
	for i := range l.entries {
		if !l.entries[i].null {
			l.live++
		}
	}
	if l.live == len(l.keys) {
		// no null versions: the index is the map of keys (only copies
		// change their index, and a key missing from keys only sends
		// PublishTime to Times)
		p.index = l.keys
		return
	}
	p.index = make(map[string]int32, l.live)
	for i := range l.entries {
		if !l.entries[i].null {
			p.index[l.entries[i].key] = int32(i)
		}
	}
}

// lazyVersions reads the "versions" object in lazy mode: each version's
// head is decoded, the rest validated, and its object's span kept.
func (d *decoder) lazyVersions() {
	if d.peek() != '{' {
		d.skip()
		return
	}
	if d.vindex == nil {
		d.vindex = make(map[string]int32, 64)
	}
	d.object(func(k []byte) {
		switch d.peek() {
		case '{':
			e := d.lazyEntry(k)
			if e.null || e.obj.end != 0 {
				// a key given again: the last value is the version,
				// as the eager decoder makes a new Manifest
				*e = lazyVersion{key: e.key}
			}
			start := d.pos
			h := d.lazy.head(e)
			d.object(func(fk []byte) { d.headField(&h, e.key, fk) })
			if d.err != nil {
				return
			}
			if h.Version == e.key {
				h.Version = ""
			}
			e.engines = h.Engines
			if h.Version != "" || h.Deprecated != "" || h.Attestations != nil {
				rh := d.lazy.rareOf(e)
				rh.version, rh.deprecated, rh.attestations = h.Version, h.Deprecated, h.Attestations
			}
			e.obj = span{start, d.pos}
		case 'n':
			d.skip()
			e := d.lazyEntry(k)
			*e = lazyVersion{key: e.key, null: true}
		default:
			d.skip()
		}
	})
}

// headField is manifestField for the first pass of DecodeLazy: the head's
// fields are decoded as manifestField decodes them, every other field
// manifestField reads is validated (so that decoding it later cannot
// fail), and what it ignores is ignored the same way (the same cuts).
func (d *decoder) headField(h *Head, key string, fk []byte) {
	switch string(fk) {
	case "version":
		if d.peek() == '"' {
			if b := d.rawString(); string(b) == key {
				h.Version = key
			} else {
				h.Version = d.arena.str(b)
			}
			return
		}
		d.skip()
	case "deprecated":
		h.Deprecated = d.deprecated()
	case "engines":
		h.Engines = d.sharedEngines()
	case "dist":
		if d.peek() != '{' {
			d.skip()
			return
		}
		d.object(func(k []byte) {
			switch string(k) {
			case "attestations":
				d.attestations(&h.Attestations)
			case "tarball", "integrity", "shasum", "fileCount", "unpackedSize", "signatures":
				d.validate()
			default:
				d.skip()
				d.ignored = true
			}
		})
	case "devDependencies":
		d.skip()
		d.ignored = true
	case "scripts":
		if d.skipScriptsWithoutInstall() {
			return
		}
		mark, sawInstall := len(d.cuts), false
		d.object(func(k []byte) {
			switch string(k) {
			case "preinstall", "install", "postinstall":
				sawInstall = true
				d.validate()
			default:
				d.skip()
				d.ignored = true
			}
		})
		d.scriptsRead(mark, sawInstall)
	case "funding":
		d.skip() // manifestField keeps it only when valid
	case "_id", "name", "dependencies", "optionalDependencies", "peerDependencies", "acceptDependencies",
		"peerDependenciesMeta", "bundleDependencies", "bundledDependencies", "os", "cpu", "libc", "bin",
		"directories", "hasInstallScript", "_hasShrinkwrap", "gypfile", "license":
		d.validate()
	default:
		d.skip()
		d.ignored = true
	}
}

// lazyTime records a "time" object for Times, validated.
func (d *decoder) lazyTime() {
	if d.peek() != '{' {
		d.skip()
		return
	}
	start := d.pos
	d.validate()
	if d.err == nil {
		d.lazy.timeSpans = append(d.lazy.timeSpans, span{start, d.pos})
	}
}

// head is e's head as stored: Version "" when it is the key.
func (l *lazyDoc) head(e *lazyVersion) Head {
	h := Head{Engines: e.engines}
	if e.rare != 0 {
		r := &l.rare[e.rare-1]
		h.Version, h.Deprecated, h.Attestations = r.version, r.deprecated, r.attestations
	}
	return h
}

// rareOf returns e's rareHead, added when it has none.
func (l *lazyDoc) rareOf(e *lazyVersion) *rareHead {
	if e.rare == 0 {
		l.rare = append(l.rare, rareHead{})
		e.rare = int32(len(l.rare))
	}
	return &l.rare[e.rare-1]
}

// manifest returns entry i's manifest, decoding it the first time.
func (l *lazyDoc) manifest(i int32) *Manifest {
	e := &l.entries[i]
	if m := e.m.Load(); m != nil {
		return m
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if m := e.m.Load(); m != nil {
		return m
	}
	m := &Manifest{}
	d := &decoder{data: l.data, forInstall: true}
	d.arena.chunk = max(e.obj.end-e.obj.start, 256)
	d.pos = e.obj.start
	d.object(func(fk []byte) { d.manifestField(m, fk) })
	if d.err == nil && d.pos != e.obj.end {
		d.fail("version object ends elsewhere than it did")
	}
	if d.err != nil {
		if l.err == nil {
			l.err = d.err
		}
		return nil
	}
	if m.Version == "" {
		m.Version = e.key
	}
	if m.Name == "" {
		m.Name = l.name
	}
	m.Normalize()
	e.m.Store(m)
	return m
}

// Manifest returns version v's manifest, nil when p has no such version.
// A lazily decoded packument decodes it the first time (once, whoever asks
// first: safe for concurrent callers) and returns the same *Manifest every
// time.
func (p *Packument) Manifest(v string) *Manifest {
	if p.lazy == nil {
		return p.Versions[v]
	}
	i, ok := p.index[v]
	if !ok {
		return nil
	}
	return p.lazy.manifest(i)
}

// HasVersion reports whether p has version v (spelled as its key).
func (p *Packument) HasVersion(v string) bool {
	if p.lazy == nil {
		return p.Versions[v] != nil
	}
	_, ok := p.index[v]
	return ok
}

// Head returns what is known of version v without decoding it.
func (p *Packument) Head(v string) (Head, bool) {
	if p.lazy == nil {
		m := p.Versions[v]
		if m == nil {
			return Head{}, false
		}
		return Head{Version: m.Version, Deprecated: m.Deprecated, Engines: m.Engines, Attestations: m.Dist.Attestations}, true
	}
	i, ok := p.index[v]
	if !ok {
		return Head{}, false
	}
	h := p.lazy.head(&p.lazy.entries[i])
	if h.Version == "" {
		h.Version = p.lazy.entries[i].key
	}
	return h, true
}

// NumVersions is the number of versions.
func (p *Packument) NumVersions() int {
	if p.lazy == nil {
		return len(p.Versions)
	}
	return len(p.index)
}

// VersionKeys yields the keys of p's versions: in document order for a
// lazily decoded packument, in map order otherwise.
func (p *Packument) VersionKeys() iter.Seq[string] {
	return func(yield func(string) bool) {
		if p.lazy == nil {
			for v, m := range p.Versions {
				if m != nil && !yield(v) {
					return
				}
			}
			return
		}
		// A copy without deletions has every version: no lookups.
		all := len(p.index) == p.lazy.live
		for i := range p.lazy.entries {
			e := &p.lazy.entries[i]
			if all {
				if !e.null && !yield(e.key) {
					return
				}
				continue
			}
			if j, ok := p.index[e.key]; ok && j == int32(i) && !yield(e.key) {
				return
			}
		}
	}
}

// AllVersions returns every version's manifest by key, decoding the ones
// not decoded yet. For a lazily decoded packument the map is new on each
// call (the manifests are the same); otherwise it is p.Versions.
func (p *Packument) AllVersions() map[string]*Manifest {
	if p.lazy == nil {
		return p.Versions
	}
	out := make(map[string]*Manifest, len(p.index))
	for v, i := range p.index {
		if m := p.lazy.manifest(i); m != nil {
			out[v] = m
		}
	}
	return out
}

// Times returns the document's "time" map (publish times by version, plus
// "created" and "modified"), nil when it has none. A lazily decoded
// packument decodes it on the first call. The map must not be modified.
func (p *Packument) Times() map[string]string {
	if p.lazy == nil {
		return p.Time
	}
	l := p.lazy
	if t := l.times.Load(); t != nil {
		return *t
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.times.Load(); t != nil {
		return *t
	}
	var times map[string]string
	d := &decoder{data: l.data}
	n := 0
	for _, s := range l.timeSpans {
		n += s.end - s.start
	}
	d.arena.chunk = min(max(n, 256), 64<<10) // the strings take about the spans' bytes
	for _, s := range l.timeSpans {
		if times == nil {
			times = make(map[string]string, 64)
		}
		d.pos = s.start
		d.object(func(k []byte) {
			if d.peek() == '"' {
				key := d.arena.str(k)
				times[key] = d.str()
				return
			}
			d.skip()
		})
		if d.err != nil {
			if l.err == nil {
				l.err = d.err
			}
			break
		}
	}
	l.times.Store(&times)
	return times
}

// versionTimes decodes the times of the versions' keys, once.
func (l *lazyDoc) versionTimes() *versionTimes {
	if vt := l.vtimes.Load(); vt != nil {
		return vt
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if vt := l.vtimes.Load(); vt != nil {
		return vt
	}
	vt := &versionTimes{text: make([]string, len(l.entries))}
	d := &decoder{data: l.data}
	d.arena.chunk = min(max(32*len(l.entries), 256), 64<<10)
	for _, s := range l.timeSpans {
		d.pos = s.start
		d.object(func(k []byte) {
			if d.peek() != '"' {
				d.skip()
				return
			}
			vt.any = true
			i, ok := l.keys[string(k)]
			if !ok {
				d.skip() // "created", "modified", unpublished versions
				return
			}
			vt.text[i] = d.str()
		})
		if d.err != nil {
			if l.err == nil {
				l.err = d.err
			}
			break
		}
	}
	l.vtimes.Store(vt)
	return vt
}

// TimeOf returns the "time" text of version v (as the registry wrote it;
// see ParseTime), false when the document gives none.
func (p *Packument) TimeOf(v string) (string, bool) {
	if p.lazy == nil {
		s, ok := p.Time[v]
		return s, ok
	}
	if i, ok := p.lazy.keys[v]; ok {
		// A key given a non-string time, or none, is absent from Times
		// as well; a string time, even "", is present.
		vt := p.lazy.versionTimes()
		if vt.text[i] != "" {
			return vt.text[i], true
		}
		if !vt.any {
			return "", false
		}
	}
	s, ok := p.Times()[v]
	return s, ok
}

// HasTimes reports whether Times is not empty.
func (p *Packument) HasTimes() bool {
	if p.lazy == nil {
		return len(p.Time) > 0
	}
	return p.lazy.versionTimes().any
}

// Clone returns a copy of p whose versions and dist-tags can be changed
// (DeleteVersion, DistTags) without changing p's. Everything else,
// manifests included, is shared and read-only.
func (p *Packument) Clone() *Packument {
	cp := *p
	cp.DistTags = make(map[string]string, len(p.DistTags))
	for k, v := range p.DistTags {
		cp.DistTags[k] = v
	}
	if p.lazy == nil {
		if p.Versions != nil {
			cp.Versions = make(map[string]*Manifest, len(p.Versions))
			for k, v := range p.Versions {
				cp.Versions[k] = v
			}
		}
		return &cp
	}
	cp.index = make(map[string]int32, len(p.index))
	for k, v := range p.index {
		cp.index[k] = v
	}
	return &cp
}

// DeleteVersion removes version v from p (see Clone: p must be a copy no
// one else reads).
func (p *Packument) DeleteVersion(v string) {
	if p.lazy == nil {
		delete(p.Versions, v)
		return
	}
	delete(p.index, v)
}

// RestoreVersion puts back version v of orig, the packument p was cloned
// from, after DeleteVersion removed it.
func (p *Packument) RestoreVersion(orig *Packument, v string) {
	if p.lazy == nil {
		p.Versions[v] = orig.Versions[v]
		return
	}
	if i, ok := orig.index[v]; ok && orig.lazy == p.lazy {
		p.index[v] = i
	}
}

// lazyEntry is the entry of version key k, added on first sight (a key
// given again reuses its entry, as the eager decoder's map keeps the
// last value).
func (d *decoder) lazyEntry(k []byte) *lazyVersion {
	l := d.lazy
	i, ok := d.vindex[string(k)]
	if !ok {
		i = int32(len(l.entries))
		key := d.arena.str(k)
		l.entries = append(l.entries, lazyVersion{key: key})
		d.vindex[key] = i
	}
	return &l.entries[i]
}
