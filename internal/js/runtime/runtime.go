// Package runtime runs Node programs: it creates a QuickJS VM (js/qjs) and
// an event loop (js/eventloop), evaluates lib/internal/bootstrap.js to
// install the globals, loads the entry point through the CommonJS or ES
// module loader, and runs the loop until nothing holds it.
package runtime

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gnode/internal/js/eventloop"
	"gnode/internal/js/node/lib"
	"gnode/internal/js/qjs"
)

// Options describe one run.
type Options struct {
	// Script is the entry file; empty with Eval set or with StdinScript.
	Script string
	// Args are the arguments after the script (process.argv[2:]).
	Args []string
	// ExecArgv are the runtime flags (process.execArgv).
	ExecArgv []string
	// Eval is the code of -e/-p; HasEval tells an empty -e apart.
	Eval    string
	HasEval bool
	// Print prints the result of Eval (-p).
	Print bool
	// Preload are modules to require before the entry point (-r).
	Preload []string
	// InputType is --input-type ("module" or "commonjs") for -e and stdin.
	InputType string
	// StdinScript reads the program from Stdin.
	StdinScript bool

	Env    []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Cwd    string
	// ExecPath is process.execPath (default: this executable).
	ExecPath string
	// NodeVersion is what process.version reports, e.g. "v22.12.0".
	NodeVersion string
	// CacheDir holds compiled bytecode and transform output ("" disables).
	CacheDir string

	// Permissions are the per-package policy and --allow-*/--deny-* flags (bind_permission.go).
	Permissions Permissions

	// Workers > 1 runs that many isolated copies of the program in this
	// process, sharing listening sockets (gnode run --workers N).
	Workers int

	// group joins the runs of one Workers start (workers.go).
	group *runGroup
	// worker links a worker thread's run to its parent (bind_worker.go).
	worker *workerLink

	// CPUProfile, when set, records a sampling profile of the
	// JavaScript and writes it when the run ends (--cpu-prof, cpuprof.go).
	CPUProfile *CPUProfile
}

// rt is the state of one run; only the loop goroutine uses it.
type rt struct {
	opts  Options
	vm    *qjs.VM
	loop  *eventloop.Loop
	start time.Time

	bindings map[string]qjs.Value // internalBinding cache (owned)
	hooks    qjs.Value            // exports of bootstrap.js (owned)
	held     []qjs.Value          // values freed at close

	exitCode   int
	exiting    bool
	stdoutMu   sync.Mutex
	rejections []rejection

	timers     map[int32]*eventloop.Timer
	immediates map[int32]*eventloop.Immediate
	nextID     int32
	onTimer    qjs.Value
	onImm      qjs.Value

	esm     *esmLoader
	fds     *fdTable
	signals map[string]*signalWatch

	workerHandler qjs.Value   // a worker's parentPort receiver (owned)
	killed        atomic.Bool // worker.terminate() from the parent's goroutine

	// tickInfo is memory shared with JavaScript (internalBinding('ticks')):
	// bytes 0-3 (info, an Int32Array) are non-zero while process.nextTick
	// callbacks are queued, which afterCallback reads so an event that
	// queued nothing costs no call into JavaScript; bytes 8-15 (clock, a
	// Float64Array) hold the time in ms since the epoch when the current
	// callback started, written by publishClock (the HTTP modules read it
	// instead of Date.now(), a system call in the engine).
	tickInfo []byte
	runTicks qjs.Value // process.js's tick runner (owned)
	rejHook  qjs.Value // process.js's processPromiseRejections (owned)

	net *netState // sockets, servers and other handles (bind_net.go)

	cpuProf *cpuProfRun // --cpu-prof (cpuprof.go)
}

type rejection struct {
	promise, reason qjs.Value
	handled         bool
}

// Run runs a program and returns its exit code.
func Run(opts Options) (code int) {
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.Stdin == nil {
		opts.Stdin = strings.NewReader("")
	}
	if opts.Cwd == "" {
		opts.Cwd, _ = os.Getwd()
	}
	if opts.ExecPath == "" {
		opts.ExecPath, _ = os.Executable()
	}
	if opts.Workers > 1 {
		return runWorkers(opts)
	}
	// Worker threads write to the same outputs from other goroutines.
	opts.Stdout, opts.Stderr = shareableWriter(opts.Stdout), shareableWriter(opts.Stderr)
	if opts.NodeVersion == "" {
		opts.NodeVersion = "v22.12.0"
	}
	// The engine needs no particular thread (its stack limit counts
	// libc.TLS slots and its TLS is the VM's own libc.TLS); a --workers
	// run's loop keeps itself on one thread while it runs, sleeping there
	// in its epoll_wait (eventloop.Loop.Threaded).

	vm, err := qjs.New(qjs.Options{MaxStackSlots: maxStackSlots})
	if err != nil {
		fmt.Fprintf(opts.Stderr, "gnode: error: %v\n", err)
		return 1
	}
	r := &rt{
		opts:       opts,
		vm:         vm,
		loop:       eventloop.New(),
		start:      time.Now(),
		bindings:   map[string]qjs.Value{},
		timers:     map[int32]*eventloop.Timer{},
		immediates: map[int32]*eventloop.Immediate{},
		fds:        newFDTable(),

		workerHandler: qjs.Undefined,
		runTicks:      qjs.Undefined,
		rejHook:       qjs.Undefined,
	}
	defer r.close()
	r.loop.Threaded = opts.group != nil
	vm.ErrorValue = r.errorValue
	r.loop.AfterCallback = r.afterCallback
	r.loop.BeforeCallback = r.publishClock
	vm.OnPromiseRejection(r.trackRejection)
	r.esm = newESMLoader(r)
	vm.SetModuleLoader(r.esm)
	if opts.CPUProfile != nil {
		defer r.startCPUProfile()()
	}

	if opts.worker != nil && !r.startWorker() {
		return 1
	}
	if err := r.bootstrap(); err != nil {
		r.reportFatal(err)
		return 1
	}
	r.runMain()
	r.cpuProfIdle() // cpuprof.go
	for !r.exiting {
		r.loop.Run()
		if r.killed.Load() {
			// terminate(): no more JavaScript runs, not even 'exit'.
			return 1
		}
		if r.exiting {
			break
		}
		r.callHook("emitBeforeExit")
		if !r.loop.Alive() {
			break
		}
	}
	if !r.exiting {
		r.exiting = true
		r.vm.ClearInterrupt()
		r.callHook("emitExit")
	}
	return r.exitCode
}

func (r *rt) close() {
	r.closeFetch()
	r.stopSignals()
	r.vm.ClearInterrupt()
	for _, v := range r.bindings {
		r.vm.Free(v)
	}
	for _, rj := range r.rejections {
		r.vm.FreeAll(rj.promise, rj.reason)
	}
	r.vm.FreeAll(r.hooks, r.onTimer, r.onImm, r.workerHandler, r.runTicks, r.rejHook)
	r.vm.FreeAll(r.held...)
	r.dropPrecompiled()
	if r.net != nil {
		r.net.freeStrs(r.vm)
	}
	r.fds.closeAll()
	r.loop.Close()
	if err := r.vm.Close(); err != nil && envLookup(r.opts.Env, "GNODE_DEBUG_LEAKS") != "" {
		fmt.Fprintf(r.opts.Stderr, "gnode: %v\n", err)
	}
}

// libSource returns the text of lib file id ("fs", "internal/errors").
func libSource(id string) (string, bool) {
	b, err := fs.ReadFile(lib.Files, id+".js")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// libExists reports whether lib file id exists.
func libExists(id string) bool {
	_, err := fs.Stat(lib.Files, id+".js")
	return err == nil
}

// libWrapperParams are the parameters every lib file body receives.
const libWrapperParams = "exports, require, module, internalBinding, primordials"

// compileLib compiles lib file id into its wrapper function (owned).
func (r *rt) compileLib(id string) (qjs.Value, error) {
	src, ok := libSource(id)
	if !ok {
		return qjs.Undefined, fmt.Errorf("no lib file %s", id)
	}
	return r.compileWrapper(src, "node:"+id, libWrapperParams)
}

// compileWrapper compiles "(function (params) {body\n})" named filename;
// the body keeps its line numbers.
func (r *rt) compileWrapper(body, filename, params string) (qjs.Value, error) {
	code := "(function (" + params + ") {" + body + "\n})"
	r.noteWrapper(filename, params) // cpuprof.go
	if len(code) >= stripSourceMinSize {
		r.vm.SetStripSource(true)
		defer r.vm.SetStripSource(false)
	}
	if bc, ok := r.cachedBytecode(code, filename); ok {
		f, err := r.vm.ReadBytecode(bc)
		if err == nil {
			return r.vm.EvalFunction(f)
		}
	}
	// Lib files and large user files are compiled once and their bytecode
	// reused; small files parse faster than the cache lookup costs.
	if r.opts.CacheDir != "" && (strings.HasPrefix(filename, "node:") || len(code) >= bytecodeMinSize) {
		bc, err := r.vm.Compile(code, filename, qjs.Script)
		if err != nil {
			return qjs.Undefined, err
		}
		r.storeBytecode(code, filename, bc)
		f, err := r.vm.ReadBytecode(bc)
		if err != nil {
			return qjs.Undefined, err
		}
		return r.vm.EvalFunction(f)
	}
	return r.vm.Eval(code, filename, qjs.Script)
}

// stripSourceMinSize: functions of files this big keep no source text.
// QuickJS stores each function's text for Function.prototype.toString,
// and a bundle's nested functions store it again at every level:
// require('typescript') peaked at 212-266 MB RSS with it, 146 MB without.
// toString of such functions returns a "[native code]" body instead.
const stripSourceMinSize = 1 << 20

// bytecodeMinSize is the size from which user modules are cached.
const bytecodeMinSize = 64 << 10

// bootstrap evaluates lib/internal/bootstrap.js; its exports are the hooks
// the Go side calls (runMain, processTicks, ...).
func (r *rt) bootstrap() error {
	fn, err := r.compileLib("internal/bootstrap")
	if err != nil {
		return err
	}
	defer r.vm.Free(fn)
	vm := r.vm
	exports := vm.Object()
	module := vm.Object()
	vm.Set(module, "exports", vm.Dup(exports))
	ib := vm.Function("internalBinding", 1, r.internalBinding)
	res, err := vm.Call(fn, qjs.Undefined, exports, qjs.Undefined, module, ib, qjs.Undefined)
	vm.FreeAll(ib, res, exports)
	if err != nil {
		vm.Free(module)
		return err
	}
	r.hooks = vm.GetV(module, "exports")
	vm.Free(module)
	r.runTicks = vm.GetV(r.hooks, "runTicks")
	r.rejHook = vm.GetV(r.hooks, "processRejections")
	return nil
}

// callHook calls bootstrap's exported hook name with args (borrowed),
// handling exceptions as uncaught.
func (r *rt) callHook(name string, args ...qjs.Value) qjs.Value {
	vm := r.vm
	f := vm.GetV(r.hooks, name)
	defer vm.Free(f)
	if !vm.IsFunction(f) {
		return qjs.Undefined
	}
	v, err := vm.Call(f, qjs.Undefined, args...)
	if err != nil {
		r.handleError(err)
		return qjs.Undefined
	}
	return v
}

func (r *rt) runMain() {
	vm := r.vm
	r.publishClock()
	o := r.opts
	for _, p := range o.Preload {
		v := vm.String(p)
		res := r.callHook("preload", v)
		vm.FreeAll(v, res)
		if r.exiting {
			return
		}
	}
	switch {
	// callHook borrows its arguments: each string made here is freed
	// after the call (the engine's own leak check at Close sees them).
	case o.HasEval:
		code := vm.String(o.Eval)
		res := r.callHook("runEval", code, qjs.Bool(o.Print))
		vm.FreeAll(code, res)
	case o.StdinScript:
		b, _ := io.ReadAll(o.Stdin)
		code := vm.String(string(b))
		res := r.callHook("runEval", code, qjs.False)
		vm.FreeAll(code, res)
	default:
		p := o.Script
		if !filepath.IsAbs(p) {
			p = filepath.Join(o.Cwd, p)
		}
		v := vm.String(p)
		res := r.callHook("runMain", v)
		vm.FreeAll(v, res)
	}
	r.afterCallback()
}

// afterCallback drains process.nextTick and promise jobs after each
// macrotask, as Node's processTicksAndRejections does: the queued ticks,
// then the microtasks, again while either queued more, then the unhandled
// rejections (whose handlers may queue more). It is process.js's
// _processTicksAndRejections driven from Go: the tick flag and the job
// queue are read here, so the common event that queued nothing (and the
// one that queued only a tick) pays no JavaScript call for the checks.
func (r *rt) afterCallback() {
	vm := r.vm
	vm.RetuneGC() // after a cycle collection, its next threshold (qjs/gcpolicy.go)
	if r.tickInfo == nil {
		// Before process.js set the flag up (bootstrap): the whole drain
		// in JavaScript.
		if !r.exiting {
			vm.Free(r.callHook("processTicksAndRejections"))
		}
		return
	}
	for !r.exiting {
		if r.tickInfo[0] != 0 {
			r.callOwned(r.runTicks)
			if r.exiting {
				return
			}
		}
		r.runMicrotasks()
		if r.exiting || r.tickInfo[0] != 0 {
			continue
		}
		if len(r.rejections) == 0 {
			return
		}
		v := r.callOwned(r.rejHook)
		more := vm.Truthy(v)
		vm.Free(v)
		if !more {
			return
		}
	}
}

// callOwned calls f (a hook held by rt) with no arguments, handling an
// exception as uncaught.
func (r *rt) callOwned(f qjs.Value) qjs.Value {
	if !r.vm.IsFunction(f) {
		return qjs.Undefined
	}
	v, err := r.vm.Call(f, qjs.Undefined)
	if err != nil {
		r.handleError(err)
		return qjs.Undefined
	}
	return v
}

// runMicrotasks runs promise jobs until none is left; an exception in a
// job is reported as uncaught and draining goes on, as V8's microtask
// queue does (the process binding's runMicrotasks, for JavaScript).
func (r *rt) runMicrotasks() {
	vm := r.vm
	for !r.exiting && vm.JobPending() {
		if _, err := vm.RunJob(); err != nil {
			if r.exiting {
				if je, ok := err.(*qjs.JSError); ok {
					je.Release()
				}
				return
			}
			r.handleError(err)
		}
	}
}

// publishClock writes the time into the shared clock (see rt.tickInfo).
func (r *rt) publishClock() {
	if r.tickInfo != nil {
		binary.NativeEndian.PutUint64(r.tickInfo[8:], math.Float64bits(float64(time.Now().UnixMilli())))
	}
}

// bindTicks is internalBinding('ticks'): info and clock, typed arrays over
// the memory shared with the loop (see rt.tickInfo).
func bindTicks(r *rt, obj qjs.Value) {
	vm := r.vm
	if r.tickInfo == nil {
		// The engine holds this memory through the ArrayBuffer; Go keeps
		// using it on the loop goroutine, the only one that runs
		// JavaScript (Go's heap does not move it).
		r.tickInfo = make([]byte, 16)
		r.publishClock()
	}
	ab := vm.NewArrayBuffer(r.tickInfo)
	vm.Set(obj, "buffer", ab)
}

// handleError routes an exception that escaped JavaScript: process.exit's
// interrupt ends the run; anything else is an uncaught exception.
func (r *rt) handleError(err error) {
	if r.exiting || r.killed.Load() {
		if je, ok := err.(*qjs.JSError); ok {
			je.Release()
		}
		return
	}
	je, ok := err.(*qjs.JSError)
	if !ok {
		r.reportFatal(err)
		return
	}
	defer je.Release()
	f := r.vm.GetV(r.hooks, "onUncaughtException")
	defer r.vm.Free(f)
	if !r.vm.IsFunction(f) {
		r.reportFatal(err)
		return
	}
	v, err2 := r.vm.Call(f, qjs.Undefined, je.Value())
	r.vm.Free(v)
	if err2 != nil {
		if r.exiting {
			if je2, ok := err2.(*qjs.JSError); ok {
				je2.Release()
			}
			return
		}
		r.reportFatal(err2)
	}
}

// reportFatal prints an error that could not reach JavaScript and exits 1
// (7 when the uncaught exception handler itself threw, as Node).
func (r *rt) reportFatal(err error) {
	msg := err.Error()
	if je, ok := err.(*qjs.JSError); ok {
		msg = je.Error() + "\n" + je.Stack
		je.Release()
	}
	fmt.Fprintf(r.opts.Stderr, "%s\n\nNode.js %s\n", strings.TrimRight(msg, "\n"), r.opts.NodeVersion)
	r.exit(1)
}

// exit stops the run with code: JavaScript is interrupted and the loop
// stops.
func (r *rt) exit(code int) {
	r.exitCode = code
	r.exiting = true
	r.loop.Stop()
	r.vm.Interrupt()
}

func (r *rt) trackRejection(promise, reason qjs.Value, handled bool) {
	r.rejections = append(r.rejections, rejection{r.vm.Dup(promise), r.vm.Dup(reason), handled})
}

// internalBinding returns the native binding object name.
func (r *rt) internalBinding(vm *qjs.VM, this qjs.Value, args []qjs.Value) (qjs.Value, error) {
	name := vm.Str(qjs.Arg(args, 0))
	if b, ok := r.bindings[name]; ok {
		return vm.Dup(b), nil
	}
	mk, ok := bindingTable[name]
	if !ok {
		return qjs.Undefined, fmt.Errorf("no such binding: %s", name)
	}
	obj := vm.Object()
	mk(r, obj)
	r.bindings[name] = obj
	return vm.Dup(obj), nil
}

// bindingTable lists every native binding (lib/bindings/<name>.md).
var bindingTable map[string]func(r *rt, obj qjs.Value)

func init() {
	bindingTable = map[string]func(r *rt, obj qjs.Value){
		"natives":     bindNatives,
		"process":     bindProcess,
		"timers":      bindTimers,
		"fs":          bindFS,
		"os":          bindOS,
		"module":      bindModule,
		"util_native": bindUtil,
		"util":        bindUtilInspect,
		"intl":        bindIntl,
		"random":      bindRandom,
		"buffer":      bindBuffer,
		"uv":          bindUV,
		"worker":      bindWorker,
		"ticks":       bindTicks,
	}
}

// fn is shorthand for defining binding functions.
func (r *rt) fn(obj qjs.Value, name string, f qjs.Func) {
	r.vm.SetFunc(obj, name, 0, f)
}

// bindNatives: the lib file loader used by bootstrap's requireLib.
func bindNatives(r *rt, obj qjs.Value) {
	vm := r.vm
	r.fn(obj, "compile", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		id := vm.Str(qjs.Arg(args, 0))
		if !libExists(id) {
			return qjs.Undefined, nil
		}
		return r.compileLib(id)
	})
	r.fn(obj, "exists", func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(libExists(vm.Str(qjs.Arg(args, 0)))), nil
	})
	var ids []string
	fs.WalkDir(lib.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".js") && !strings.HasPrefix(p, "internal/") {
			ids = append(ids, strings.TrimSuffix(p, ".js"))
		}
		return nil
	})
	vm.Set(obj, "ids", vm.StringArray(ids))
}

// maxStackSlots is the engine's call-depth limit, in libquickjs stack
// slots (one per plain JS call, 3 to 9 for calls through getters, forEach,
// apply, proxies or generators). libquickjs's default of 5000 stops a plain
// recursion at about 5,000 frames where Node reaches about 14,000, and test
// suites (qs's) recurse deeper than that. At this limit the goroutine stack
// peaks near 50 MiB on linux/amd64 (about 4x that on darwin/arm64), far
// below the 1 GB at which Go aborts the process instead of the engine
// throwing RangeError.
var maxStackSlots = 15000
