package runtime

import (
	"bufio"
	"net"
	"os"
	"os/user"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"

	"gnode/internal/js/qjs"
)

// bindOS is internalBinding('os'), see bindings/os.md.
func bindOS(r *rt, obj qjs.Value) {
	r.fn(obj, "hostname", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		h, _ := os.Hostname()
		return vm.String(h), nil
	})
	r.fn(obj, "homedir", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if h := envLookup(r.opts.Env, "HOME"); h != "" {
			return vm.String(h), nil
		}
		h, _ := os.UserHomeDir()
		return vm.String(h), nil
	})
	r.fn(obj, "tmpdir", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		for _, k := range []string{"TMPDIR", "TMP", "TEMP"} {
			if v := envLookup(r.opts.Env, k); v != "" {
				if len(v) > 1 && strings.HasSuffix(v, "/") {
					v = v[:len(v)-1]
				}
				return vm.String(v), nil
			}
		}
		return vm.String("/tmp"), nil
	})
	r.fn(obj, "uname", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var u syscall.Utsname
		syscall.Uname(&u)
		s := func(b [65]int8) string {
			var out []byte
			for _, c := range b {
				if c == 0 {
					break
				}
				out = append(out, byte(c))
			}
			return string(out)
		}
		return vm.StringArray([]string{s(u.Sysname), s(u.Release), s(u.Version), s(u.Machine)}), nil
	})
	r.fn(obj, "cpus", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		// [model, speedMHz] per CPU; times are zero (not tracked).
		model, speed := cpuInfo()
		arr := vm.Array()
		for i := 0; i < goruntime.NumCPU(); i++ {
			vm.SetIndex(arr, uint32(i), vm.ArrayOf(vm.String(model), qjs.Float(speed)))
		}
		return arr, nil
	})
	r.fn(obj, "memory", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var si syscall.Sysinfo_t
		syscall.Sysinfo(&si)
		unit := float64(si.Unit)
		free := float64(si.Freeram) * unit
		if avail := memAvailable(); avail > 0 {
			free = avail
		}
		return vm.ArrayOf(qjs.Float(float64(si.Totalram)*unit), qjs.Float(free), qjs.Float(float64(si.Uptime))), nil
	})
	r.fn(obj, "loadavg", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var si syscall.Sysinfo_t
		syscall.Sysinfo(&si)
		f := func(x uint64) qjs.Value { return qjs.Float(float64(x) / 65536) }
		return vm.ArrayOf(f(si.Loads[0]), f(si.Loads[1]), f(si.Loads[2])), nil
	})
	r.fn(obj, "userInfo", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		u, err := user.Current()
		o := vm.Object()
		if err != nil {
			return o, nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		vm.Set(o, "uid", qjs.Int(int32(uid)))
		vm.Set(o, "gid", qjs.Int(int32(gid)))
		vm.Set(o, "username", vm.String(u.Username))
		vm.Set(o, "homedir", vm.String(u.HomeDir))
		vm.Set(o, "shell", vm.String(loginShell(u.Username)))
		return o, nil
	})
	r.fn(obj, "networkInterfaces", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		// [name, address, netmask, family, mac, internal, cidr, scopeid] rows.
		rows := vm.Array()
		ifs, _ := net.Interfaces()
		i := uint32(0)
		for _, it := range ifs {
			addrs, _ := it.Addrs()
			for _, ad := range addrs {
				ipn, ok := ad.(*net.IPNet)
				if !ok {
					continue
				}
				fam := "IPv4"
				if ipn.IP.To4() == nil {
					fam = "IPv6"
				}
				ones, _ := ipn.Mask.Size()
				mac := it.HardwareAddr.String()
				if mac == "" {
					mac = "00:00:00:00:00:00"
				}
				vm.SetIndex(rows, i, vm.ArrayOf(vm.String(it.Name), vm.String(ipn.IP.String()), vm.String(net.IP(ipn.Mask).String()),
					vm.String(fam), vm.String(mac), qjs.Bool(it.Flags&net.FlagLoopback != 0),
					vm.String(ipn.IP.String()+"/"+strconv.Itoa(ones))))
				i++
			}
		}
		return rows, nil
	})
	r.fn(obj, "getPriority", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		p, err := syscall.Getpriority(syscall.PRIO_PROCESS, int(vm.Int(qjs.Arg(a, 0))))
		if err != nil {
			return qjs.Undefined, toSysError(err, "uv_os_getpriority", "")
		}
		return qjs.Int(int32(20 - p)), nil
	})
}

func envLookup(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

func cpuInfo() (string, float64) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown", 0
	}
	defer f.Close()
	model, speed := "unknown", 0.0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "model name":
			if model == "unknown" {
				model = v
			}
		case "cpu MHz":
			if speed == 0 {
				speed, _ = strconv.ParseFloat(v, 64)
				speed = float64(int(speed))
			}
		}
	}
	return model, speed
}

func memAvailable() float64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "MemAvailable:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				n, _ := strconv.ParseFloat(f[1], 64)
				return n * 1024
			}
		}
	}
	return 0
}

func loginShell(name string) string {
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, ":")
		if len(f) >= 7 && f[0] == name {
			return f[6]
		}
	}
	return ""
}
