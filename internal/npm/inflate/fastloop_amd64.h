// The body of the fast loop, assembled twice by fastloop_amd64.s: once
// with baseline shifts and once with BMI2's (see the macros there). The
// registers and labels are described there; this file starts with the bit
// buffer refilled and the next literal/length entry in DX, and ends by
// jumping to more, corrupt or ret (AX holding the status).

loop:
	TESTL $eLit, DX
	JEQ   notlit

lit:
	// Up to four literals from one refill (56 bits or more; a
	// first-level entry takes at most 11, and the lookup after the
	// fourth needs 11 more), then a refill, which keeps the entry looked
	// up last.
	LITERAL
	LOOKUP
	TESTL $eLit, DX
	JEQ   litend
	LITERAL
	LOOKUP
	TESTL $eLit, DX
	JEQ   litend
	LITERAL
	LOOKUP
	TESTL $eLit, DX
	JEQ   litend
	LITERAL
	LOOKUP

litend:
	CMPQ R8, R9
	JHI  more
	CMPQ DI, R10
	JHI  more
	REFILL
	TESTL $eLit, DX
	JNE   lit

notlit:
	// A match takes up to two refills; check the input before its
	// length is taken, so that the loop can stop between symbols.
	CMPQ  R8, R9
	JHI   more
	TESTL $eExcept, DX
	JNE   litexcept

length:
	VALUE(R15)
	MOVL BX, AX
	ANDL $0xff, AX
	MOVL (R14)(AX*4), DX

	// A distance takes at most 28 bits, and the next entry is looked up
	// before the refill that follows it: refill now unless 39 bits are
	// left (rarely, after a long length code with its extra bits).
	CMPB R12, $39
	JCC  distready
	REFILL

distready:
	TESTL $eExcept, DX
	JNE   distexcept

dist:
	VALUE(SI)

	// dist > o: corrupt.
	MOVQ DI, AX
	SUBQ R11, AX
	CMPQ SI, AX
	JHI  corrupt

	// The next entry, then the refill (which keeps it), both before the
	// copy so that the table load overlaps it.
	LOOKUP
	REFILL
	MOVQ DI, AX
	SUBQ SI, AX // AX: the match's source
	CMPQ SI, $8
	JCS  shortdist

	// 8 bytes at a time: each word read ends at least 8 bytes behind the
	// write, so it is final. The first five words whatever the length
	// (the overrun stays inside fastMargin).
	MOVQ 0(AX), CX
	MOVQ CX, 0(DI)
	MOVQ 8(AX), CX
	MOVQ CX, 8(DI)
	MOVQ 16(AX), CX
	MOVQ CX, 16(DI)
	MOVQ 24(AX), CX
	MOVQ CX, 24(DI)
	MOVQ 32(AX), CX
	MOVQ CX, 32(DI)
	CMPQ R15, $40
	JHI  longmatch
	ADDQ R15, DI
	CMPQ DI, R10
	JHI  more
	JMP  loop

longmatch:
	LEAQ 40(DI), SI
	ADDQ $40, AX
	ADDQ DI, R15 // R15: the match's end

longcopy:
	MOVQ (AX), CX
	MOVQ CX, (SI)
	ADDQ $8, AX
	ADDQ $8, SI
	CMPQ SI, R15
	JCS  longcopy
	MOVQ R15, DI
	CMPQ DI, R10
	JHI  more
	JMP  loop

shortdist:
	CMPQ SI, $1
	JNE  bytecopy

	// Distance 1: the byte repeated, 8 at a time.
	MOVBQZX (AX), CX
	MOVQ    $0x0101010101010101, SI
	IMULQ   SI, CX
	ADDQ    DI, R15 // R15: the match's end

runcopy:
	MOVQ CX, (DI)
	ADDQ $8, DI
	CMPQ DI, R15
	JCS  runcopy
	MOVQ R15, DI
	CMPQ DI, R10
	JHI  more
	JMP  loop

bytecopy:
	// A short period: byte by byte, each byte repeating the one dist
	// before it.
	ADDQ DI, R15

bytes:
	MOVBLZX (AX), CX
	MOVB    CX, (DI)
	INCQ    AX
	INCQ    DI
	CMPQ    DI, R15
	JCS     bytes
	CMPQ    DI, R10
	JHI     more
	JMP     loop

litexcept:
	TESTL $eLink, DX
	JEQ   litnolink

	// Second level: drop litBits, index the sub-table with the next
	// (e>>8 & 15) bits.
	SHRQ  $11, BX
	SUBQ  $11, R12
	MOVL  DX, CX
	SHRL  $8, CX
	ANDL  $15, CX
	MOVL  $1, AX
	SHLL  CL, AX
	DECL  AX
	ANDL  BX, AX
	SHRL  $16, DX
	ADDL  DX, AX
	ANDL  $0xfff, AX
	MOVL  (R13)(AX*4), DX
	TESTL $eLit, DX
	JEQ   litnolink
	LITERAL
	CMPQ  R8, R9
	JHI   more
	CMPQ  DI, R10
	JHI   more
	REFILL
	LOOKUP
	JMP   loop

litnolink:
	TESTL $eBad, DX
	JNE   corrupt
	TESTL $eEOB, DX
	JEQ   length
	SHIFT_B
	SUBQ  DX, R12
	MOVQ  $1, AX
	JMP   ret

distexcept:
	TESTL $eLink, DX
	JEQ   distnolink
	SHRQ  $8, BX
	SUBQ  $8, R12
	MOVL  DX, CX
	SHRL  $8, CX
	ANDL  $15, CX
	MOVL  $1, AX
	SHLL  CL, AX
	DECL  AX
	ANDL  BX, AX
	SHRL  $16, DX
	ADDL  DX, AX
	ANDL  $0x1ff, AX
	MOVL  (R14)(AX*4), DX

distnolink:
	TESTL $eBad, DX
	JNE   corrupt
	JMP   dist
