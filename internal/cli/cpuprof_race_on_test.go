//go:build race

package cli

// cpuProfRace: the sampler reads engine words from its ticker goroutine
// by design (qjs/profile.go), which the race detector reports.
const cpuProfRace = true
