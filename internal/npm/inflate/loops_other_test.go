//go:build !amd64 || purego

package inflate

// fastLoops returns every fast loop this machine can run, by name.
func fastLoops() map[string]fastFunc {
	return map[string]fastFunc{"go": fastLoop}
}
