//go:build !race

package cli

const cpuProfRace = false
