package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/npm/integrity"
	"gnode/internal/npm/pkgname"
	"gnode/internal/pm/store"
	"gnode/internal/pm/tree"
	"gnode/internal/registryclient"
)

// fetchPool downloads and extracts packages into the store, many at once.
//
// Downloading and extracting are separate stages with their own slots: up
// to fetchDownloads tarballs download at once (resolvingDownloads while
// the tree resolves); a download frees its slot when its bytes are in and
// waits for an extraction slot holding them (heldBudget bounds the bytes
// waiting; a tarball too big to read whole keeps its download slot until
// its extraction starts), and at most one extraction per core runs at a
// time. Extraction is CPU (gzip) and file-system work; with a goroutine
// per download extracting as it reads, two dozen threads at once sat in
// the kernel creating files on two cores while the packuments the
// resolver waited for queued behind them.
type fetchPool struct {
	ctx      context.Context
	cancel   context.CancelFunc
	c        *registryclient.Client
	st       *store.Store
	progress Progress

	mu       sync.Mutex
	jobs     map[string]*fetchJob // by integrity or URL
	total    int
	done     int
	sem      chan struct{} // download slots
	extracts chan struct{} // extraction slots
	reserved int           // extraction slots held back while resolving
	// reservedDownloads is the download slots held back while resolving
	// (see resolvingDownloads).
	reservedDownloads int
	local             *localFetcher // reads file: tarballs
	// downloading is called before each download starts (it restores the
	// usual GC target; see Run).
	downloading func()
	// registryFor gives a package's registry (npmrc's RegistryFor): the
	// tarball URL of a registry package whose lockfile entry has no
	// "resolved" (npm's omit-lockfile-registry-resolved) is made from it.
	registryFor func(name string) (string, error)

	// held is the bytes of downloaded tarballs waiting in memory for an
	// extraction slot (their download slots already freed); a download
	// starts only while held is under heldBudget.
	held     int64
	heldCond *sync.Cond

	// lend hands a reserved extraction slot to one waiting extraction
	// while the tree resolves and no packument is decoding (see lender);
	// lent is signalled when that extraction ends.
	lend      chan struct{}
	lent      chan struct{}
	resolving chan struct{} // closed by resolved

	// lockInfos holds, by store path, what each package extracted here
	// adds to its lockfile entry from its package.json (lockInfoFor),
	// worked out by the extractor while the tree still resolves: read
	// after resolution, the ~900 package.json files of a cold toolchain
	// install took 12-24 ms on one core, between the last download and
	// the layout. Only when the tree is resolved here (wantLockInfos,
	// set before the first add): a lockfile's entries carry their own.
	lockInfos     sync.Map
	wantLockInfos bool
}

const (
	// resolvingDownloads bounds the tarballs downloading at once while
	// the tree resolves, so that the packuments the resolver waits for
	// keep most of the registry client's requests in flight per host
	// (registryclient.Options.MaxHostConns, which also bounds the
	// connections; before that bound, this one was what kept a cold
	// express-app install from opening 150-178 TLS connections).
	resolvingDownloads = 12
	// fetchDownloads bounds tarballs downloading at once (and tarballs
	// too big for memory waiting, half read, for an extraction slot).
	fetchDownloads = 32
	// inMemoryTarball is the largest tarball read whole before extraction;
	// bigger ones are extracted as they stream in.
	inMemoryTarball = 32 << 20
)

// heldBudget bounds the downloaded tarballs held in memory for an
// extractor. A download used to keep its slot until its extraction
// started, and while the tree resolves only one extractor runs, so the
// speculated downloads crawled at that extractor's pace and most tarballs
// were fetched only after resolution (toolchain: ~800 of 877). The whole
// toolchain is 34 MB of tarballs.
const heldBudget = 16 << 20

type fetchJob struct {
	done chan struct{}
	path string
	sri  string
	err  error
}

func newFetchPool(ctx context.Context, c *registryclient.Client, st *store.Store, p Progress) *fetchPool {
	ctx, cancel := context.WithCancel(ctx)
	f := &fetchPool{ctx: ctx, cancel: cancel, c: c, st: st, progress: p, jobs: map[string]*fetchJob{},
		sem: make(chan struct{}, fetchDownloads), extracts: make(chan struct{}, extractWorkers())}
	f.heldCond = sync.NewCond(&f.mu)
	f.lend, f.lent, f.resolving = make(chan struct{}), make(chan struct{}, 1), make(chan struct{})
	// While the tree resolves, extraction keeps to one core: the other
	// decodes the packuments the resolver waits for (see resolved).
	f.reserved = cap(f.extracts) - 1
	for i := 0; i < f.reserved; i++ {
		f.extracts <- struct{}{}
	}
	f.reservedDownloads = fetchDownloads - resolvingDownloads
	for i := 0; i < f.reservedDownloads; i++ {
		f.sem <- struct{}{}
	}
	if f.reserved > 0 {
		go f.lender()
	}
	return f
}

// lender lends the cores held back from extraction while the tree
// resolves whenever no received packument is decoding or waiting to
// (tree.DecodesPending): the resolver then waits for the network, and a
// core would otherwise sit idle that extraction can use. It checks every
// lendPoll and lends to one extraction at a time.
func (f *fetchPool) lender() {
	t := time.NewTimer(lendPoll)
	defer t.Stop()
	for {
		if tree.DecodesPending() == 0 {
			select {
			case f.lend <- struct{}{}:
				select {
				case <-f.lent:
				case <-f.ctx.Done():
					return
				}
				continue
			default:
			}
		}
		t.Reset(lendPoll)
		select {
		case <-t.C:
		case <-f.resolving:
			return
		case <-f.ctx.Done():
			return
		}
	}
}

// lendPoll is how often lender looks for an idle core.
const lendPoll = time.Millisecond

// resolved gives extraction every core once the resolver no longer needs one.
func (f *fetchPool) resolved() {
	f.mu.Lock()
	n, nd := f.reserved, f.reservedDownloads
	f.reserved, f.reservedDownloads = 0, 0
	f.mu.Unlock()
	for i := 0; i < nd; i++ {
		<-f.sem
	}
	select {
	case <-f.resolving:
	default:
		close(f.resolving)
	}
	for i := 0; i < n; i++ {
		<-f.extracts
	}
}

func (f *fetchPool) stop() {
	f.cancel()
	f.mu.Lock()
	f.heldCond.Broadcast()
	f.mu.Unlock()
}

func jobKey(n *tree.Node) string {
	if n.Integrity != "" {
		return n.Integrity
	}
	return n.Resolved
}

func (f *fetchPool) add(n *tree.Node) *fetchJob {
	key := jobKey(n)
	f.mu.Lock()
	if j := f.jobs[key]; j != nil {
		f.mu.Unlock()
		return j
	}
	j := &fetchJob{done: make(chan struct{})}
	f.jobs[key] = j
	f.total++
	f.mu.Unlock()
	id, sri, url := n.ID(), n.Integrity, n.Resolved
	if sri != "" {
		if p, ok := f.st.Has(sri); ok {
			j.path, j.sri = p, sri
			f.finish(j)
			return j
		}
	}
	if url == "" && f.registryFor != nil && !n.Link && !n.InBundle && n.Version != "" {
		if reg, err := f.registryFor(n.PackageName); err == nil {
			url = strings.TrimSuffix(reg, "/") + "/" + pkgname.TarballPath(n.PackageName, n.Version)
		}
	}
	go func() {
		f.mu.Lock()
		for f.held >= heldBudget && f.ctx.Err() == nil {
			f.heldCond.Wait()
		}
		f.mu.Unlock()
		select {
		case f.sem <- struct{}{}:
		case <-f.ctx.Done():
			j.err = f.ctx.Err()
			close(j.done)
			return
		}
		if f.downloading != nil {
			f.downloading()
		}
		j.path, j.sri, j.err = f.fetch(id, sri, url)
		if j.err == nil && f.wantLockInfos {
			if idx, err := f.st.Index(j.path); err == nil {
				f.lockInfos.Store(j.path, lockInfoFor(idx))
			}
		}
		f.finish(j)
	}()
	return j
}

// lookup finds the nodes' packages already in the store on all cores,
// reading each one's index on the way (store.Lookup), and records them as
// fetched: on a warm install this is the whole fetch phase, one small file
// read per package instead of a stat now and a JSON index decoded later.
//
// With loaded (every index is in memory already, from an index set), the
// lookups read nothing and run on the calling goroutine: waking workers
// on the other core cost more than the lookups.
func (f *fetchPool) lookup(nodes []*tree.Node, loaded bool) {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := 2 * runtime.GOMAXPROCS(0)
	if loaded {
		workers = 1
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		work := func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(nodes) {
					return
				}
				sri := nodes[i].Integrity
				if sri == "" {
					continue
				}
				f.mu.Lock()
				_, seen := f.jobs[sri]
				f.mu.Unlock()
				if seen {
					continue
				}
				p, ok := f.st.Lookup(sri)
				if !ok {
					continue
				}
				f.mu.Lock()
				if f.jobs[sri] == nil {
					j := &fetchJob{done: make(chan struct{}), path: p, sri: sri}
					f.jobs[sri] = j
					f.total++
					f.mu.Unlock()
					f.finish(j)
					continue
				}
				f.mu.Unlock()
			}
		}
		if loaded {
			work()
		} else {
			go work()
		}
	}
	wg.Wait()
}

// warmGCPercent is the GC target while an install reads only local files.
const warmGCPercent = 400

// extractWorkers is how many packages are extracted at once: one per core
// the Go scheduler runs on.
func extractWorkers() int {
	return max(1, runtime.GOMAXPROCS(0))
}

func (f *fetchPool) finish(j *fetchJob) {
	f.mu.Lock()
	f.done++
	d, t := f.done, f.total
	f.mu.Unlock()
	close(j.done)
	if f.progress != nil {
		f.progress.Fetched(d, t)
	}
}

// fetch downloads one tarball and extracts it. It is called holding a
// download slot and releases it.
func (f *fetchPool) fetch(id, sri, url string) (string, string, error) {
	downloading := true
	doneDownloading := func() {
		if downloading {
			downloading = false
			<-f.sem
		}
	}
	defer doneDownloading()
	if url == "" {
		return "", "", fmt.Errorf("%s has no tarball URL in the lockfile; run `gnode install` without a lockfile to resolve it again", id)
	}
	var body io.ReadCloser
	var data []byte // the whole tarball, when it was read into memory
	var err error
	if strings.HasPrefix(url, "file:") && f.local != nil {
		body, err = f.local.open(f.ctx, url)
	} else {
		data, body, err = f.c.TarballData(f.ctx, url, inMemoryTarball)
		if data != nil {
			body = io.NopCloser(bytes.NewReader(data))
		}
	}
	if err != nil {
		return "", "", fmt.Errorf("downloading %s: %w", id, err)
	}
	defer body.Close()
	if data != nil {
		// The bytes are in: the download slot goes to the next tarball
		// while these wait for an extractor under the byte budget.
		doneDownloading()
		n := int64(len(data))
		f.mu.Lock()
		f.held += n
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.held -= n
			f.mu.Unlock()
			f.heldCond.Broadcast()
		}()
	}
	select {
	case f.extracts <- struct{}{}:
		defer func() { <-f.extracts }()
	case <-f.lend:
		defer func() { f.lent <- struct{}{} }()
	case <-f.ctx.Done():
		return "", "", f.ctx.Err()
	}
	doneDownloading()
	if sri == "" {
		p, sum, err := f.st.Import(f.ctx, body)
		if err != nil {
			return "", "", fmt.Errorf("extracting %s: %w", id, err)
		}
		return p, sum.String(), nil
	}
	var p string
	if data != nil {
		p, err = f.st.PutBytes(f.ctx, sri, data)
	} else {
		p, err = f.st.Put(f.ctx, sri, body)
	}
	if err != nil {
		var mm *integrity.MismatchError
		if errors.As(err, &mm) {
			return "", "", &IntegrityError{ID: id, URL: url, Err: mm}
		}
		return "", "", fmt.Errorf("extracting %s from %s: %w", id, url, err)
	}
	return p, sri, nil
}

// preloadIndexes reads the store index of every package on all cores:
// the steps after fetching (bundled dependencies, trust signals, the
// layout's file lists and bins) each need them, one package at a time.
//
// Indexes already loaded (all of them, after an index set) cost no
// goroutine.
func preloadIndexes(st *store.Store, paths map[*tree.Node]string) {
	missing := false
	for _, p := range paths {
		if !st.IndexLoaded(p) {
			missing = true
			break
		}
	}
	if !missing {
		return
	}
	next := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < 2*runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				st.Index(p) // an error is reported by whoever needs the index
			}
		}()
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
}

// IntegrityError is a downloaded tarball whose digest is not the expected one.
type IntegrityError struct {
	ID, URL string
	Err     *integrity.MismatchError
}

func (e *IntegrityError) Error() string {
	return fmt.Sprintf("integrity check failed for %s (%s): %v", e.ID, e.URL, e.Err)
}
func (e *IntegrityError) Unwrap() error { return e.Err }

// Hint explains what to do.
func (e *IntegrityError) Hint() string {
	return "the registry served different bytes than the lockfile records; if the package was legitimately republished, remove its entry from package-lock.json and install again"
}

// wait blocks until every node's package is in the store.
func (f *fetchPool) wait(nodes []*tree.Node) (map[*tree.Node]string, error) {
	out := make(map[*tree.Node]string, len(nodes))
	for _, n := range nodes {
		j := f.add(n)
		<-j.done
		if j.err != nil {
			return nil, j.err
		}
		out[n] = j.path
		if n.Integrity == "" {
			n.Integrity = j.sri
		}
	}
	return out, nil
}
