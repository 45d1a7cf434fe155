package registryclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"gnode/internal/npm/packument"
)

// cacheHeader is the first line of a metadata cache file; the rest of the
// file is the packument JSON as the registry sent it less the members
// packument.DecodeForInstall never reads (packument.DecodeForInstallCompact;
// files written before hold the whole document, or packument.Encode's
// compact form, which decode the same way).
type cacheHeader struct {
	Format       int    `json:"format"`
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// Fetched and Expires are Unix seconds; Expires comes from the
	// response's Cache-Control max-age (0: revalidate every time).
	Fetched int64 `json:"fetched"`
	Expires int64 `json:"expires,omitempty"`
}

const cacheFormat = 1

type cacheEntry struct {
	hdr  cacheHeader
	body []byte
}

func (e *cacheEntry) hdrExpires() int64 {
	if e == nil {
		return 0
	}
	return e.hdr.Expires
}

// cachePath is where the document for u is cached: one folder per registry
// (host and path made safe for a file name), one file per package.
func (c *Client) cachePath(registry, name string) string {
	if c.opts.NoDiskCache || c.opts.CacheDir == "" {
		return ""
	}
	pu, err := url.Parse(registry)
	if err != nil {
		return ""
	}
	reg := pu.Host + strings.TrimSuffix(pu.Path, "/")
	file := url.PathEscape(name)
	if c.opts.FullMetadata {
		file += ".full"
	}
	return filepath.Join(c.opts.CacheDir, "metadata", safeName(reg), file+".json")
}

func safeName(s string) string {
	b := []byte(s)
	for i, ch := range b {
		ok := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-'
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}

// cacheFolderExisted reports whether a registry's metadata folder existed
// when this client first looked: when it did not, none of its documents
// is cached (the files this client writes hold documents it keeps in
// memory), and a cold install's ~1,000 lookups of missing files are
// skipped.
func (c *Client) cacheFolderExisted(dir string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, seen := c.cacheFolders[dir]
	if !seen {
		_, err := os.Stat(dir)
		ok = !errors.Is(err, os.ErrNotExist)
		if c.cacheFolders == nil {
			c.cacheFolders = map[string]bool{}
		}
		c.cacheFolders[dir] = ok
	}
	return ok
}

func readCache(path string) (*cacheEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, fmt.Errorf("metadata cache %s: no header", path)
	}
	e := &cacheEntry{body: data[nl+1:]}
	if err := json.Unmarshal(data[:nl], &e.hdr); err != nil || e.hdr.Format != cacheFormat {
		return nil, fmt.Errorf("metadata cache %s: unreadable header", path)
	}
	return e, nil
}

// headerLine is hdr as a cache file's first line.
func headerLine(hdr cacheHeader) []byte {
	hb, _ := json.Marshal(hdr)
	return append(hb, '\n')
}

// writeCacheFile stores a cache file given in parts (the header line and
// the document, or both in one buffer: one write) through a temp file and
// a rename, so a concurrent reader (another gnode process) sees the old
// or the new file. fresh says that path is not expected to exist: the
// file is then first tried without a temporary name (writeLinked).
func writeCacheFile(path string, fresh bool, parts ...[]byte) error {
	if fresh && writeLinked(path, parts) == nil {
		return nil
	}
	// The folder is made when it is missing, not checked before every
	// file (a cold install writes ~1,000 files into one folder).
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if errors.Is(err, os.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			f, err = os.CreateTemp(filepath.Dir(path), ".tmp-*")
		}
	}
	if err != nil {
		return err
	}
	tmp := f.Name()
	// Written straight from the buffers: the document is up to
	// megabytes, and copying it through a buffered writer cost a copy
	// of every byte and a system call per 64 KB.
	for _, b := range parts {
		if len(b) == 0 {
			continue // no empty write(2)
		}
		if _, err = f.Write(b); err != nil {
			break
		}
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func (c *Client) fetchPackument(ctx context.Context, name, registry, u string) (*packument.Packument, error) {
	path := c.cachePath(registry, name)
	var cached *cacheEntry
	if path != "" && c.cacheFolderExisted(filepath.Dir(path)) {
		e, err := readCache(path)
		if err == nil && e.hdr.URL == u {
			cached = e
		} else if err != nil && !errors.Is(err, os.ErrNotExist) {
			c.opts.Logf("%v (ignored)", err)
		}
	}
	lazy := lazyDecode(ctx)
	fromCache := func() (*packument.Packument, error) {
		packument.Received(ctx)
		var (
			p   *packument.Packument
			err error
		)
		if lazy {
			// The packument keeps the file's bytes, which nothing else
			// holds (a 304's rewrite only reads them).
			p, err = packument.DecodeLazy(cached.body)
		} else {
			p, err = packument.DecodeForInstall(cached.body)
		}
		if err != nil {
			return nil, fmt.Errorf("metadata cache %s: %w (delete it and retry)", path, err)
		}
		return p, nil
	}
	now := time.Now().Unix()
	fresh := now < cached.hdrExpires() && !c.opts.PreferOnline
	if cached != nil && (c.opts.Offline || c.opts.PreferOffline || fresh) {
		c.stats.diskHits.Add(1)
		return fromCache()
	}
	if c.opts.Offline {
		return nil, &OfflineError{Name: name, URL: u}
	}
	accept := AcceptAbbreviated
	if c.opts.FullMetadata {
		accept = AcceptFull
	}
	var extra http.Header
	if cached != nil {
		extra = http.Header{}
		if cached.hdr.ETag != "" {
			extra.Set("If-None-Match", cached.hdr.ETag)
		}
		if cached.hdr.LastModified != "" {
			extra.Set("If-Modified-Since", cached.hdr.LastModified)
		}
	}
	var (
		p    *packument.Packument
		resp *http.Response
		err  error
	)
	// A body that breaks off mid-way, or does not parse, is retried like a
	// failed request.
fetch:
	for tries := 0; ; tries++ {
		var release func()
		resp, release, err = c.do(ctx, u, accept, extra, "", false)
		if err != nil {
			break fetch
		}
		switch resp.StatusCode {
		case http.StatusNotModified:
			resp.Body.Close()
			release()
			if cached == nil {
				return nil, &HTTPError{URL: u, Status: 304, Body: "not modified, but nothing was cached"}
			}
			c.stats.notModified.Add(1)
			hdr := cached.hdr
			hdr.Fetched = now
			hdr.Expires = expires(resp, now)
			if e := resp.Header.Get("ETag"); e != "" {
				hdr.ETag = e
			}
			if hdr.Expires > 0 {
				// Only worth a rewrite when it saves requests later.
				c.writeCacheLater(path, false, headerLine(hdr), cached.body, nil)
			}
			return fromCache()
		case http.StatusOK:
			body, rerr := readBody(resp)
			resp.Body.Close()
			release()
			c.stats.bytes.Add(int64(len(body)))
			if rerr != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if tries < c.opts.Retries {
					c.stats.retries.Add(1)
					c.opts.Logf("retrying GET %s: reading the response: %v", u, rerr)
					continue
				}
				err = &NetworkError{URL: u, Op: "read response", Attempts: tries + 1, Err: rerr}
				break fetch
			}
			// The caller's request slot (tree's fetcher) is free from
			// here: the bytes are in and the connection is released.
			packument.Received(ctx)
			var hb []byte // the cache file's header line
			if path != "" {
				hb = headerLine(cacheHeader{
					Format:       cacheFormat,
					URL:          u,
					ETag:         resp.Header.Get("ETag"),
					LastModified: resp.Header.Get("Last-Modified"),
					Fetched:      now,
					Expires:      expires(resp, now),
				})
			}
			lean := body
			if lazy {
				// The packument keeps its own copy of the compacted
				// document, so the buffer goes back to the pool now;
				// the copy follows the header line in one buffer, the
				// cache file's content, written with one write.
				p, lean, err = packument.DecodeLazyCompactAfter(hb, body)
				hb = nil
			} else if path != "" {
				// Cached without what DecodeForInstall never reads
				// (about two thirds of a full packument's bytes).
				p, lean, err = packument.DecodeForInstallCompact(body)
			} else {
				p, err = packument.DecodeForInstall(body)
			}
			if err != nil {
				putBody(body)
				if tries < c.opts.Retries && ctx.Err() == nil {
					c.stats.retries.Add(1)
					c.opts.Logf("retrying GET %s: the document does not parse: %v", u, err)
					continue
				}
				return nil, fmt.Errorf("registry document for %q from %s is not valid JSON: %w", name, u, err)
			}
			if path != "" {
				// The document is cached as it came, less the members the
				// decoder stepped over (copied around them, or cut out of
				// the buffer in place): encoding the decoded form again cost 0.31 s
				// of a cold toolchain install's 3.7 s of CPU, and writing
				// all 119 MB as received cost ~4% of its CPU in page-cache
				// copies (42 MB after the cut).
				if lazy {
					putBody(body)
					c.writeCacheLater(path, cached == nil, nil, lean, nil)
				} else {
					c.writeCacheLater(path, cached == nil, hb, lean, func() { putBody(body) })
				}
			} else {
				// The decoded document keeps nothing of the bytes
				// (packument's TestDecodeKeepsNoInput; a lazy one keeps
				// a copy of its own).
				putBody(body)
			}
			return p, nil
		default:
			err = statusError(resp, u, name)
			resp.Body.Close()
			release()
			return nil, err
		}
	}
	var ne *NetworkError
	if cached != nil && errors.As(err, &ne) {
		c.stats.stale.Add(1)
		c.opts.Logf("using the cached document for %s: %v", name, err)
		return fromCache()
	}
	return nil, err
}

// writeCacheLater writes a metadata cache file in the background: the
// document is already decoded, and the resolver is waiting for it while
// writing it (milliseconds for a big one) would lengthen the chain of
// packuments an install waits on. Writes run one at a time; Close waits
// for them, so no temporary file is left behind. fresh is set when no
// file was found at path (see writeCacheFile). hb is the header line,
// nil when b starts with it. done, when set, runs once b's bytes are no
// longer needed. While more than maxPendingCache bytes wait, the caller
// writes its file itself, which bounds the memory held by a disk slower
// than the network.
func (c *Client) writeCacheLater(path string, fresh bool, hb, b []byte, done func()) {
	write := func() {
		if werr := writeCacheFile(path, fresh, hb, b); werr != nil {
			c.opts.Logf("metadata cache %s: %v", path, werr)
		}
		if done != nil {
			done()
		}
	}
	n := int64(len(b))
	if c.pendingCache.Add(n) > maxPendingCache {
		c.writeSlot <- struct{}{}
		write()
		<-c.writeSlot
		c.pendingCache.Add(-n)
		return
	}
	c.writes.Add(1)
	go func() {
		defer c.writes.Done()
		c.writeSlot <- struct{}{}
		defer func() { <-c.writeSlot }()
		write()
		c.pendingCache.Add(-n)
	}()
}

// maxPendingCache bounds the document bytes waiting to be written to the
// metadata cache.
const maxPendingCache = 64 << 20

func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n <= 0 || resp.Uncompressed || n > 256<<20 {
		n = 64 << 10
	}
	buf := bytes.NewBuffer(getBody(int(n) + 512))
	_, err := io.Copy(buf, resp.Body)
	return buf.Bytes(), err
}

// Response bodies are decoded and dropped at once, so their buffers are
// reused: a cold install reads ~1,000 full packuments (119 MB for
// bench/fixtures/toolchain), and fresh buffers for them were that much
// garbage, zeroed and faulted in, and each GC cycle marks the documents
// decoded so far (15 cycles before, 11 after). Pools by power-of-two
// capacity, 64 KB to 4 MB; the few bigger documents (typescript's is
// 10 MB) are allocated to size and dropped, as rounding them up would
// hold twice their size.
const (
	minBodyClass = 16 // 64 KB
	maxBodyClass = 22 // 4 MB
)

var bodyPools [maxBodyClass + 1]sync.Pool

func bodyClass(n int) int {
	c := bits.Len(uint(max(n, 1) - 1))
	return max(c, minBodyClass)
}

// getBody returns an empty buffer with room for n bytes.
func getBody(n int) []byte {
	c := bodyClass(n)
	if c > maxBodyClass {
		return make([]byte, 0, n)
	}
	if bp, ok := bodyPools[c].Get().(*[]byte); ok {
		return (*bp)[:0]
	}
	return make([]byte, 0, 1<<c)
}

// putBody gives b back once nothing refers to it.
func putBody(b []byte) {
	c := bits.Len(uint(cap(b))) - 1 // the class whose size cap(b) covers
	if c < minBodyClass || c > maxBodyClass {
		return
	}
	b = b[:0]
	bodyPools[c].Put(&b)
}

// expires returns when a response stops being fresh per Cache-Control
// max-age (Unix seconds), 0 when it must be revalidated.
func expires(resp *http.Response, now int64) int64 {
	cc := resp.Header.Get("Cache-Control")
	if cc == "" {
		return 0
	}
	for _, part := range strings.Split(cc, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "no-cache" || part == "no-store" {
			return 0
		}
	}
	for _, part := range strings.Split(cc, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if v, ok := strings.CutPrefix(part, "max-age="); ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				return now + n
			}
		}
	}
	return 0
}
