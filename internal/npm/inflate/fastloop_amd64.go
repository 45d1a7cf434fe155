//go:build amd64 && !purego

package inflate

import "sync"

// The fast loop in assembly (fastloop_amd64.s), with baseline shifts and
// with BMI2's: the Go compiler keeps the bit buffer's state on the stack
// around the variable shifts, which the assembly keeps in registers.

//go:noescape
func fastLoopV1(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (npos int, nb uint64, nn uint, no int, st status)

//go:noescape
func fastLoopBMI2(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (npos int, nb uint64, nn uint, no int, st status)

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// hasBMI2 reports CPUID.(EAX=7,ECX=0):EBX bit 8, asked on first use
// (CPUID traps to the hypervisor in a virtual machine; most gnode
// commands never inflate).
var hasBMI2 = sync.OnceValue(func() bool {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<8) != 0
})

// asmLoop reports whether fastLoopArch is an assembly version.
const asmLoop = true

func fastLoopArch(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (int, uint64, uint, int, status) {
	if len(src) < 16 || o > fastOut {
		// The assembly's input limit is len(src)-16, computed on the
		// pointer: keep it from wrapping around (block never asks this).
		return pos, b, n, o, more
	}
	if hasBMI2() {
		return fastLoopBMI2(src, pos, b, n, out, o, fastOut, lt, dt)
	}
	return fastLoopV1(src, pos, b, n, out, o, fastOut, lt, dt)
}
