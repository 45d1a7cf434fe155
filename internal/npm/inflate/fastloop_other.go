//go:build !amd64 || purego

package inflate

// asmLoop reports whether fastLoopArch is an assembly version.
const asmLoop = false

func fastLoopArch(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (int, uint64, uint, int, status) {
	return fastLoop(src, pos, b, n, out, o, fastOut, lt, dt)
}
