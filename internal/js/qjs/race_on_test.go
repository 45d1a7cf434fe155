//go:build race

package qjs

// raceEnabled: the profiler's ticker reads engine words the loop
// goroutine writes (by design, see profile.go), which the race detector
// reports.
const raceEnabled = true
