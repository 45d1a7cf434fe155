//go:build amd64 && !purego

package inflate

// fastLoops returns every fast loop this machine can run, by name.
func fastLoops() map[string]fastFunc {
	m := map[string]fastFunc{"go": fastLoop, "v1": fastLoopV1}
	if hasBMI2() {
		m["bmi2"] = fastLoopBMI2
	}
	return m
}
