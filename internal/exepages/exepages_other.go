//go:build !linux

package exepages

// Advice values for Apply (no-ops off Linux).
const (
	Random = 0
	Drop   = 1
)

// Apply does nothing off Linux.
func Apply(advice int) int { return 0 }
