package eventloop

import (
	"strings"
	"testing"
)

func TestPhaseOrderFromIOCallback(t *testing.T) {
	// Inside an I/O (poll phase) callback, an immediate always runs before
	// a zero-delay timer: check comes before the next timers phase.
	l := New()
	var got []string
	done := l.RegisterCallback()
	go done(func() {
		got = append(got, "io")
		l.SetTimer(0, false, func() { got = append(got, "timer") })
		l.SetImmediate(func() { got = append(got, "immediate") })
	})
	l.Run()
	if s := strings.Join(got, ","); s != "io,immediate,timer" {
		t.Errorf("order %s", s)
	}
}

func TestAfterCallbackRunsAfterEachMacrotask(t *testing.T) {
	l := New()
	var got []string
	l.AfterCallback = func() { got = append(got, "after") }
	l.SetImmediate(func() { got = append(got, "a") })
	l.SetImmediate(func() { got = append(got, "b") })
	l.Run()
	if s := strings.Join(got, ","); s != "a,after,b,after" {
		t.Errorf("order %s", s)
	}
}

func TestImmediateQueuedDuringCheckWaitsForNextIteration(t *testing.T) {
	l := New()
	var got []string
	l.SetImmediate(func() {
		got = append(got, "first")
		l.SetImmediate(func() { got = append(got, "nested") })
	})
	l.SetImmediate(func() { got = append(got, "second") })
	l.Run()
	if s := strings.Join(got, ","); s != "first,second,nested" {
		t.Errorf("order %s", s)
	}
}

func TestTimersFireInExpiryThenCreationOrder(t *testing.T) {
	l := New()
	var got []string
	l.SetTimer(3, false, func() { got = append(got, "3") })
	l.SetTimer(1, false, func() { got = append(got, "1a") })
	l.SetTimer(1, false, func() { got = append(got, "1b") })
	l.Run()
	if s := strings.Join(got, ","); s != "1a,1b,3" {
		t.Errorf("order %s", s)
	}
}

func TestUnrefDoesNotHoldTheLoop(t *testing.T) {
	l := New()
	fired := false
	tm := l.SetTimer(1<<30, false, func() { fired = true })
	tm.SetRef(false)
	im := l.SetImmediate(func() {})
	im.SetRef(false)
	l.Run() // must return at once
	if fired || tm.HasRef() {
		t.Error("unref'd timer fired or still refs")
	}
}

func TestIntervalAndStop(t *testing.T) {
	l := New()
	n := 0
	var iv *Timer
	iv = l.SetTimer(1, true, func() {
		n++
		if n == 4 {
			iv.Stop()
		}
	})
	l.Run()
	if n != 4 {
		t.Errorf("interval ran %d times", n)
	}
}

func TestRefreshFromOwnCallback(t *testing.T) {
	l := New()
	n := 0
	var tm *Timer
	tm = l.SetTimer(1, false, func() {
		n++
		if n < 3 {
			tm.Refresh()
		}
	})
	l.Run()
	if n != 3 {
		t.Errorf("refreshed timer ran %d times", n)
	}
}

func TestRegisterCallbackHoldsUntilCalledOnce(t *testing.T) {
	l := New()
	done := l.RegisterCallback()
	ran := 0
	release := make(chan struct{})
	go func() {
		<-release
		done(func() { ran++ })
		done(func() { ran++ }) // a second call is ignored
	}()
	l.SetImmediate(func() { close(release) })
	l.Run()
	if ran != 1 {
		t.Errorf("callback ran %d times", ran)
	}
	if l.Alive() {
		t.Error("loop still alive")
	}
}

func TestStop(t *testing.T) {
	l := New()
	ran := false
	l.SetImmediate(func() { l.Stop() })
	l.SetImmediate(func() { ran = true })
	l.Run()
	if ran {
		t.Error("callback ran after Stop")
	}
}
