package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	// The tz database inside the binary: offsets must not depend on the
	// machine having /usr/share/zoneinfo (containers often do not).
	_ "time/tzdata"

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
	// canonicalZone(zone) -> the name resolvedOptions().timeZone reports:
	// ICU folds the UTC aliases and the old backward links to their zone.
	r.fn(obj, "canonicalZone", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return vm.String(canonicalZone(vm.Str(qjs.Arg(a, 0)))), nil
	})
}

// zoneLinks are the backward links ICU resolves (checked against node's
// resolvedOptions); other valid names are reported as written.
var zoneLinks = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"Etc/UTC": "UTC", "Etc/GMT": "UTC", "GMT": "UTC", "Etc/Universal": "UTC", "Zulu": "UTC",
		"UCT": "UTC", "Etc/Zulu": "UTC", "Universal": "UTC", "Etc/GMT0": "UTC", "GMT0": "UTC",
		"Greenwich": "UTC", "Etc/Greenwich": "UTC", "Etc/UCT": "UTC", "Etc/GMT+0": "UTC", "Etc/GMT-0": "UTC",
		"US/Pacific": "America/Los_Angeles", "US/Eastern": "America/New_York", "US/Central": "America/Chicago",
		"US/Mountain": "America/Denver", "US/Alaska": "America/Anchorage", "US/Hawaii": "Pacific/Honolulu",
		"US/Arizona": "America/Phoenix", "Japan": "Asia/Tokyo", "Singapore": "Asia/Singapore",
		"GB": "Europe/London", "PRC": "Asia/Shanghai", "ROK": "Asia/Seoul", "Israel": "Asia/Jerusalem",
		"Turkey": "Europe/Istanbul", "Egypt": "Africa/Cairo", "Canada/Eastern": "America/Toronto",
		"Australia/ACT": "Australia/Sydney", "NZ": "Pacific/Auckland", "Brazil/East": "America/Sao_Paulo",
	}
})

func canonicalZone(name string) string {
	if c, ok := zoneLinks()[name]; ok {
		return c
	}
	return name
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
