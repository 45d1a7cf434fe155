package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"gnode/internal/js/qjs"
)

// bindIntl is internalBinding('intl'): what lib/internal/intl.js needs
// from the host for time zones.
func bindIntl(r *rt, obj qjs.Value) {
	// timeZone() -> the local IANA zone name ($TZ, /etc/localtime), or "UTC".
	r.fn(obj, "timeZone", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(localZoneName(r.opts.Env)), nil
	})
	// offset(zone, epochMs) -> minutes east of UTC, undefined for an
	// unknown zone.
	r.fn(obj, "offset", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		loc, err := time.LoadLocation(vm.Str(qjs.Arg(a, 0)))
		if err != nil {
			return qjs.Undefined, nil
		}
		ms := int64(vm.Float(qjs.Arg(a, 1)))
		_, off := time.UnixMilli(ms).In(loc).Zone()
		return qjs.Int(int32(off / 60)), nil
	})
}

func localZoneName(env []string) string {
	if tz := envLookup(env, "TZ"); tz != "" {
		tz = strings.TrimPrefix(tz, ":")
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if p, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(p, "zoneinfo/"); i >= 0 {
			return filepath.ToSlash(p[i+len("zoneinfo/"):])
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return s
		}
	}
	return "UTC"
}
