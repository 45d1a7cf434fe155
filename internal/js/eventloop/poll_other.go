//go:build !linux

package eventloop

import "errors"

// Without epoll the loop waits on its channel and nothing is watched.
type poller struct{}

// Watch is a watched descriptor; never made on this platform.
type Watch struct{}

// ErrNoPoller is returned by Watch on a loop without an epoll set.
var ErrNoPoller = errors.New("event loop has no descriptor poller")

func (l *Loop) initPoller()  {}
func (l *Loop) closePoller() {}
func (l *Loop) wakePoller()  {}
func (l *Loop) pin()         {}
func (l *Loop) unpin()       {}
func (l *Loop) respread()    {}

// affinity is empty here: loops are left to the system.
type affinity struct{}

func (l *Loop) pollIO(timeoutMS int) bool { return false }

// SpreadLoops does nothing here: loops are left to the system.
func SpreadLoops(n int) {}

// WithAllCPUs runs f: loops are never pinned here.
func (l *Loop) WithAllCPUs(f func()) { f() }

// Watch reports ErrNoPoller: callers fall back to their own goroutines.
func (l *Loop) Watch(fd int, cb func()) (*Watch, error) { return nil, ErrNoPoller }

// SetReadable does nothing here.
func (w *Watch) SetReadable(on bool) error { return ErrNoPoller }

// Close does nothing here.
func (w *Watch) Close() {}
