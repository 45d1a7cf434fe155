//go:build !linux

package cacheprune

import (
	"io/fs"
	"time"
)

// accessTime: only the modification time counts on other platforms.
func accessTime(fs.FileInfo) (time.Time, bool) { return time.Time{}, false }
