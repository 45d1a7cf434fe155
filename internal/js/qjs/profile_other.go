//go:build !linux

package qjs

import "time"

const haveNanosleep = false

func preciseSleep(d time.Duration) { time.Sleep(d) }
