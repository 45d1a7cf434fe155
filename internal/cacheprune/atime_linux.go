package cacheprune

import (
	"io/fs"
	"syscall"
	"time"
)

// accessTime is a file's last access time, where the platform records one.
func accessTime(info fs.FileInfo) (time.Time, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(st.Atim.Sec, st.Atim.Nsec), true
}
