package cli

import (
	"errors"
	"strconv"
	"time"

	"gnode/internal/js/runtime"
)

// cpuProfFlags collects node's --cpu-prof flags: --cpu-prof turns the
// profiler on; --cpu-prof-dir, --cpu-prof-name and --cpu-prof-interval
// (microseconds, default 1000) are errors without it, as in node.
type cpuProfFlags struct {
	on                           bool
	dir, name, interval          string
	hasDir, hasName, hasInterval bool
}

func (f *cpuProfFlags) set(name, val string) {
	switch name {
	case "--cpu-prof":
		f.on = true
	case "--cpu-prof-dir":
		f.dir, f.hasDir = val, true
	case "--cpu-prof-name":
		f.name, f.hasName = val, true
	case "--cpu-prof-interval":
		f.interval, f.hasInterval = val, true
	}
}

// profile is the run's profile request (nil without --cpu-prof).
func (f *cpuProfFlags) profile() (*runtime.CPUProfile, error) {
	if !f.on {
		for _, c := range []struct {
			set  bool
			flag string
		}{{f.hasDir, "--cpu-prof-dir"}, {f.hasName, "--cpu-prof-name"}, {f.hasInterval, "--cpu-prof-interval"}} {
			if c.set {
				return nil, errors.New(c.flag + " must be used with --cpu-prof")
			}
		}
		return nil, nil
	}
	p := &runtime.CPUProfile{Dir: f.dir, Name: f.name}
	if f.hasInterval {
		us, err := strconv.ParseUint(f.interval, 10, 32)
		if err != nil || us == 0 {
			return nil, errors.New("--cpu-prof-interval requires a positive number of microseconds, got " + strconv.Quote(f.interval))
		}
		p.Interval = time.Duration(us) * time.Microsecond
	}
	return p, nil
}
