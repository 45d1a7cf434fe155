//go:build !linux

package qjs

import (
	"errors"
	"time"
)

const haveProcessCPUTime = false

func processCPUTime() int64 { return 0 }

type tickTimer struct{}

func newTickTimer(time.Duration) (*tickTimer, error) { return nil, errors.ErrUnsupported }
func (*tickTimer) wait() error                       { return errors.ErrUnsupported }
func (*tickTimer) close()                            {}
