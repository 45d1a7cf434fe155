//go:build !linux

package runtime

import "syscall"

func setDefaultAction(syscall.Signal) bool { return false }
