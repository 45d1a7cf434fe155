//go:build !race

package runtime

const cpuProfRace = false
