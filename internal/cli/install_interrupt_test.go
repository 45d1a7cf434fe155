package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCancelOnSignal: the listener is set up only after its delay, then
// one signal cancels; disarm restores the default. SIGWINCH stands in for
// SIGINT (its default action is to do nothing, so the signals the test
// sends before the listener is set up are harmless).
func TestCancelOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	interrupted, disarm := cancelOnSignal(30*time.Millisecond, cancel, syscall.SIGWINCH)
	defer disarm()
	if interrupted() {
		t.Fatal("interrupted before any signal")
	}
	deadline := time.After(20 * time.Second)
	for ctx.Err() == nil {
		syscall.Kill(os.Getpid(), syscall.SIGWINCH)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatal("no cancel 20 s after the signals began")
		}
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("cancelled after %v, before the 30 ms delay", d)
	}
	if !interrupted() {
		t.Error("cancelled, but interrupted() is false")
	}

	// Disarmed before the delay: no listener is ever set up.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	interrupted2, disarm2 := cancelOnSignal(time.Millisecond, cancel2, syscall.SIGWINCH)
	disarm2()
	time.Sleep(20 * time.Millisecond) // past the delay: the timer was stopped
	syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	time.Sleep(20 * time.Millisecond)
	if ctx2.Err() != nil || interrupted2() {
		t.Error("a disarmed listener cancelled")
	}
	disarm2() // twice is harmless
}

// TestInstallInterrupted: Ctrl-C during an install that waits on the
// registry ends it with nothing written to the project: cancelled (exit
// 130, a message) once the install has run its grace period, or ended by
// the signal before that, as a process without a handler.
func TestInstallInterrupted(t *testing.T) {
	bin := gnodeBinary(t)
	arrived := make(chan struct{}, 16)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default: // the test waits for the first request only
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.Error(w, "gone", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"p","version":"1.0.0","dependencies":{"slow-dep":"^1.0.0"}}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+srv.URL+"/\n"), 0o644)
	cmd := exec.Command(bin, "install")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GNODE_CACHE_DIR="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-arrived:
	case <-done:
		t.Fatalf("install ended before asking the registry: %s", stderr.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("no registry request in 20 s")
	}
	// Usually past the grace period by now (not required: both outcomes
	// below are correct).
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("install still running 20 s after SIGINT")
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled() && ws.Signal() == syscall.SIGINT:
		t.Log("ended by SIGINT (before the grace period ended)")
	case ws.Exited() && ws.ExitStatus() == 130:
		if !strings.Contains(stderr.String(), "interrupted (Ctrl-C)") {
			t.Errorf("exit 130 without the message: %q", stderr.String())
		}
	default:
		t.Fatalf("ended with %v, want exit 130 or SIGINT; stderr: %s", ws, stderr.String())
	}
	for _, name := range []string{"node_modules", "package-lock.json"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s exists after the interrupted install (%v)", name, err)
		}
	}
}
