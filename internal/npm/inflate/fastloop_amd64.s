//go:build amd64 && !purego

#include "textflag.h"

// fastLoopV1 and fastLoopBMI2 are fastLoop (inflate.go) in assembly, on
// the same tables and state: they stop between two symbols (at the end
// of a block, on corrupt data, or when the input or output room runs
// low; a little earlier than fastLoop), and the checked loop goes on
// from the state they return. The body
// (fastloop_amd64.h) is assembled twice: with baseline amd64 shifts
// (by CL, two or three micro-ops each) and with BMI2's SHRX, SHLX and
// BZHI (one each), chosen at run time by the CPU. Each TEXT block keeps
// its own prologue and epilogue: go vet's asmdecl checks the FP-named
// argument offsets only in the .s file itself, not in what it includes.
//
// Registers:
//	BX   bit buffer b
//	R12  bit count n in the low byte (whole entries are subtracted, so
//	     the bits above the low byte are garbage until the return)
//	DX   table entry e
//	CX   shift counts, scratch
//	AX   scratch
//	R8   next input byte (src+pos), R9 src+len(src)-16: at or before it
//	     there is room for two refills (a refill moves R8 by at most 7)
//	DI   next output byte (out+o), R10 out+fastOut, R11 out
//	R13  literal/length table, R14 distance table
//	R15  match length, SI match distance

// Entry flags (table.go).
#define eBad 0x80
#define eLit 0x1000
#define eEOB 0x4000
#define eLink 0x8000
#define eExcept 0xc080

// REFILL tops the bit buffer up to 56-63 bits with one 8-byte load:
// b |= load(in) << n; in += 7 - n/8; n |= 56.
#define REFILL \
	MOVQ (R8), AX; \
	SHL_N_AX; \
	ORQ  AX, BX; \
	MOVL R12, CX; \
	SHRL $3, CX; \
	ANDL $7, CX; \
	ADDQ $7, R8; \
	SUBQ CX, R8; \
	ORQ  $56, R12

// LOOKUP: e = lt[b & (1<<litBits-1)].
#define LOOKUP \
	MOVL BX, AX; \
	ANDL $0x7ff, AX; \
	MOVL (R13)(AX*4), DX

// LITERAL takes the literal entry e from the bit buffer and writes its
// byte.
#define LITERAL \
	SHIFT_B; \
	SUBQ DX, R12; \
	SHRL $16, DX; \
	MOVB DX, (DI); \
	INCQ DI

// VALUE takes the length or distance entry e (code and extra bits) from
// the bit buffer and sets reg to its base plus the extra bits' value:
// the low c bits of b (c = e&63) shifted right by the code's length
// (e>>8 & 15; bits 12-13 of a length or distance entry are zero).
#define VALUE(reg) \
	LOWBITS_AX; \
	SHIFT_B; \
	SUBQ DX, R12; \
	MOVL DX, CX; \
	SHRL $8, CX; \
	SHR_AX_CX; \
	SHRL $16, DX; \
	ADDL DX, AX; \
	MOVL AX, reg

// Baseline shifts. SHIFT_B: b >>= e&63. SHL_N_AX: AX <<= n&63.
// LOWBITS_AX: AX = b & (1<<(e&63) - 1) (e&63 is 1 to 28). SHR_AX_CX:
// AX >>= CX&63.
#define SHIFT_B MOVL DX, CX; SHRQ CL, BX
#define SHL_N_AX MOVL R12, CX; SHLQ CL, AX
#define LOWBITS_AX MOVQ BX, AX; MOVL DX, CX; NEGL CX; SHLQ CL, AX; SHRQ CL, AX
#define SHR_AX_CX SHRQ CL, AX

// func fastLoopV1(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (npos int, nb uint64, nn uint, no int, st status)
TEXT ·fastLoopV1(SB), NOSPLIT, $0-144
	MOVQ src_base+0(FP), R8
	MOVQ src_len+8(FP), R9
	LEAQ -16(R8)(R9*1), R9
	ADDQ pos+24(FP), R8
	MOVQ b+32(FP), BX
	MOVQ n+40(FP), R12
	MOVQ out_base+48(FP), R11
	MOVQ o+72(FP), DI
	ADDQ R11, DI
	MOVQ fastOut+80(FP), R10
	ADDQ R11, R10
	MOVQ lt+88(FP), R13
	MOVQ dt+96(FP), R14
	CMPQ R8, R9
	JHI  more
	CMPQ DI, R10
	JHI  more
	REFILL
	LOOKUP

#include "fastloop_amd64.h"

corrupt:
	MOVQ $2, AX
	JMP  ret

more:
	XORL AX, AX

ret:
	MOVQ src_base+0(FP), CX
	SUBQ CX, R8
	MOVQ R8, npos+104(FP)
	MOVQ BX, nb+112(FP)
	ANDQ $0xff, R12
	MOVQ R12, nn+120(FP)
	SUBQ R11, DI
	MOVQ DI, no+128(FP)
	MOVQ AX, st+136(FP)
	RET

#undef SHIFT_B
#undef SHL_N_AX
#undef LOWBITS_AX
#undef SHR_AX_CX

// BMI2 shifts (the count registers' low 6 or 8 bits).
#define SHIFT_B SHRXQ DX, BX, BX
#define SHL_N_AX SHLXQ R12, AX, AX
#define LOWBITS_AX BZHIQ DX, BX, AX
#define SHR_AX_CX SHRXQ CX, AX, AX

// func fastLoopBMI2(src []byte, pos int, b uint64, n uint, out []byte, o, fastOut int, lt *litTable, dt *distTable) (npos int, nb uint64, nn uint, no int, st status)
TEXT ·fastLoopBMI2(SB), NOSPLIT, $0-144
	MOVQ src_base+0(FP), R8
	MOVQ src_len+8(FP), R9
	LEAQ -16(R8)(R9*1), R9
	ADDQ pos+24(FP), R8
	MOVQ b+32(FP), BX
	MOVQ n+40(FP), R12
	MOVQ out_base+48(FP), R11
	MOVQ o+72(FP), DI
	ADDQ R11, DI
	MOVQ fastOut+80(FP), R10
	ADDQ R11, R10
	MOVQ lt+88(FP), R13
	MOVQ dt+96(FP), R14
	CMPQ R8, R9
	JHI  more
	CMPQ DI, R10
	JHI  more
	REFILL
	LOOKUP

#include "fastloop_amd64.h"

corrupt:
	MOVQ $2, AX
	JMP  ret

more:
	XORL AX, AX

ret:
	MOVQ src_base+0(FP), CX
	SUBQ CX, R8
	MOVQ R8, npos+104(FP)
	MOVQ BX, nb+112(FP)
	ANDQ $0xff, R12
	MOVQ R12, nn+120(FP)
	SUBQ R11, DI
	MOVQ DI, no+128(FP)
	MOVQ AX, st+136(FP)
	RET

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET
