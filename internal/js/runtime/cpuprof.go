package runtime

// --cpu-prof: a sampling profile of the program's JavaScript (the sampler
// is qjs/profile.go), written when the run ends as a .cpuprofile file in
// the Chrome DevTools format node writes, so DevTools, speedscope and the
// other tools that read node's profiles read gnode's.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/js/qjs"
)

// CPUProfile asks Run for a profile (node's --cpu-prof and companions).
type CPUProfile struct {
	// Dir is where the file goes (relative to Cwd; "" the working
	// directory), Name its name ("" node's
	// CPU.yyyymmdd.hhmmss.pid.tid.seq.cpuprofile).
	Dir, Name string
	// Interval is the sampling interval (0: 1 ms, node's default).
	Interval time.Duration
}

// cpuProfSeq numbers the profiles of the process, as node's seq does.
var cpuProfSeq atomic.Int32

// cpuProfRun is the profile of one run being recorded.
type cpuProfRun struct {
	prof   *qjs.Profiler
	cfg    CPUProfile
	cwd    string
	tid    int
	stderr func(string)
	stats  bool // GNODE_CPU_PROF_STATS=1: the sampler's counts on stderr
	once   sync.Once
	// wrapped holds, by file name, the length of the function wrapper
	// compiled on the first line before a module's text, which node's
	// columns do not count.
	wrapped sync.Map
}

var (
	cpuProfMu   sync.Mutex
	cpuProfRuns = map[*cpuProfRun]bool{}
)

// startCPUProfile starts the run's profiler (loop goroutine, before any
// JavaScript runs); the returned function writes the file, once.
func (r *rt) startCPUProfile() func() {
	cfg := *r.opts.CPUProfile
	tid := 0
	if r.opts.worker != nil {
		tid = int(r.opts.worker.id)
	}
	run := &cpuProfRun{
		// GNODE_CPU_PROF_CLOCK=cpu: samples weigh CPU time, not clock
		// time (qjs.ProfileOptions.CPUTime), for CPU per request on a
		// loaded machine. Not node's: DevTools reads it the same way.
		prof:  r.vm.StartProfileWith(qjs.ProfileOptions{Interval: cfg.Interval, CPUTime: envLookup(r.opts.Env, "GNODE_CPU_PROF_CLOCK") == "cpu"}),
		cfg:   cfg,
		cwd:   r.opts.Cwd,
		tid:   tid,
		stats: envLookup(r.opts.Env, "GNODE_CPU_PROF_STATS") != "",
		stderr: func(s string) {
			fmt.Fprint(r.opts.Stderr, s)
		},
	}
	// The profiler decides each slot on the loop's clock: it looks
	// around every callback, and the loop says when it waits (the slots
	// in between are (idle)).
	before, after := r.loop.BeforeCallback, r.loop.AfterCallback
	r.loop.BeforeCallback = func() {
		run.prof.Check()
		if before != nil {
			before()
		}
	}
	r.loop.AfterCallback = func() {
		if after != nil {
			after()
		}
		run.prof.Check()
	}
	r.loop.OnWait = run.prof.Wait
	r.cpuProf = run
	cpuProfMu.Lock()
	cpuProfRuns[run] = true
	cpuProfMu.Unlock()
	return run.write
}

// cpuProfIdle is called when the main script has run: a look at the
// clock, so its last slots are its own.
func (r *rt) cpuProfIdle() {
	if r.cpuProf != nil {
		r.cpuProf.prof.Check()
	}
}

// noteWrapper records the wrapper put before a module's first line.
func (r *rt) noteWrapper(filename, params string) {
	if r.cpuProf != nil {
		r.cpuProf.wrapped.Store(filename, int32(len("(function ("+params+") {")))
	}
}

// WriteCPUProfiles writes the profiles of the runs still going: the
// command calls it before a signal ends the process.
func WriteCPUProfiles() {
	cpuProfMu.Lock()
	runs := make([]*cpuProfRun, 0, len(cpuProfRuns))
	for run := range cpuProfRuns {
		runs = append(runs, run)
	}
	cpuProfMu.Unlock()
	for _, run := range runs {
		run.write()
	}
}

func (run *cpuProfRun) write() {
	run.once.Do(func() {
		cpuProfMu.Lock()
		delete(cpuProfRuns, run)
		cpuProfMu.Unlock()
		p := run.prof.Stop()
		dir := run.cfg.Dir
		if dir == "" {
			dir = run.cwd
		} else if !filepath.IsAbs(dir) {
			dir = filepath.Join(run.cwd, dir)
		}
		name := run.cfg.Name
		if name == "" {
			now := time.Now()
			name = fmt.Sprintf("CPU.%s.%s.%d.%d.%03d.cpuprofile", now.Format("20060102"), now.Format("150405"),
				os.Getpid(), run.tid, cpuProfSeq.Add(1))
		}
		if run.stats {
			js := 0
			for _, s := range p.Samples {
				if n := p.Nodes[s]; n.Parent != 0 || (n.Frame.Name != qjs.ProfileProgram && n.Frame.Name != qjs.ProfileIdle && n.Frame.Name != qjs.ProfileGC) {
					js++
				}
			}
			run.stderr(fmt.Sprintf("gnode: cpu profile: %d samples (%d in JavaScript, %d placed by the ticker's snapshot) in %d ms; sample delay mean %d µs, max %d µs; %d ticks found a sample still pending, %d requests dropped\n",
				len(p.Samples), js, p.Ticked, (p.End-p.Start)/1000, p.DelaySum/int64(max(js, 1)), p.DelayMax, p.Missed, p.Dropped))
		}
		for i := range p.Nodes {
			f := &p.Nodes[i].Frame
			if f.Line == 0 && f.URL != "" {
				if w, ok := run.wrapped.Load(f.URL); ok {
					f.Col = max(f.Col-w.(int32), 0)
				}
			}
		}
		if err := writeCPUProfile(filepath.Join(dir, name), p); err != nil {
			run.stderr(fmt.Sprintf("gnode: cannot write the CPU profile: %v\n", err))
		}
	})
}

// The DevTools format (node's .cpuprofile): the call tree as a list of
// nodes, then the node of each sample and the microseconds between
// samples.
type devtoolsProfile struct {
	Nodes      []devtoolsNode `json:"nodes"`
	StartTime  int64          `json:"startTime"`
	EndTime    int64          `json:"endTime"`
	Samples    []int32        `json:"samples"`
	TimeDeltas []int64        `json:"timeDeltas"`
}

type devtoolsNode struct {
	ID        int32         `json:"id"`
	CallFrame devtoolsFrame `json:"callFrame"`
	HitCount  int32         `json:"hitCount"`
	Children  []int32       `json:"children,omitempty"`
}

type devtoolsFrame struct {
	FunctionName string `json:"functionName"`
	ScriptID     string `json:"scriptId"`
	URL          string `json:"url"`
	LineNumber   int32  `json:"lineNumber"`
	ColumnNumber int32  `json:"columnNumber"`
}

// devtoolsFormat converts a profile: node ids are indexes + 1 (the root
// is 1), script ids number the files in order of appearance, "0" for
// native code, and a file path becomes a file: URL as in node.
func devtoolsFormat(p *qjs.Profile) devtoolsProfile {
	out := devtoolsProfile{StartTime: p.Start, EndTime: p.End, Samples: make([]int32, len(p.Samples)), TimeDeltas: make([]int64, len(p.Times))}
	scripts := map[string]string{}
	out.Nodes = make([]devtoolsNode, len(p.Nodes))
	for i, n := range p.Nodes {
		u := scriptURL(n.Frame.URL)
		sid := "0"
		if u != "" {
			if sid = scripts[u]; sid == "" {
				sid = strconv.Itoa(len(scripts) + 1)
				scripts[u] = sid
			}
		}
		dn := devtoolsNode{
			ID:        int32(i + 1),
			CallFrame: devtoolsFrame{FunctionName: n.Frame.Name, ScriptID: sid, URL: u, LineNumber: n.Frame.Line, ColumnNumber: n.Frame.Col},
			HitCount:  n.Hits,
		}
		for _, c := range n.Children {
			dn.Children = append(dn.Children, c+1)
		}
		out.Nodes[i] = dn
	}
	last := p.Start
	for i, s := range p.Samples {
		out.Samples[i] = s + 1
		t := max(p.Times[i], last)
		out.TimeDeltas[i] = t - last
		last = t
	}
	if out.EndTime < last {
		out.EndTime = last
	}
	return out
}

// scriptURL is node's url of a script: file:///path for a file (encoded
// as import.meta.url is), the name itself for a built-in module (node:fs)
// or anything else.
func scriptURL(name string) string {
	if name == "" || !filepath.IsAbs(name) {
		return name
	}
	return pathToFileURL(filepath.ToSlash(name))
}

// writeCPUProfile writes the file whole or not at all (a temporary file
// renamed into place), creating its directory as node does.
func writeCPUProfile(path string, p *qjs.Profile) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp.Chmod(0o644) // CreateTemp's 0600 is too strict for a report
	w := bufio.NewWriterSize(tmp, 256<<10)
	err = json.NewEncoder(w).Encode(devtoolsFormat(p))
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
