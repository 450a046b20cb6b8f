//go:build amd64 && !purego

#include "textflag.h"

// Two SHA-1 messages compressed side by side with SHA-NI (see pair.go for
// why). Each message keeps the usual SHA-NI working set: ABCD, two
// registers for E (they alternate every four rounds) and four for the
// message schedule. The rounds of the two are interleaved instruction by
// instruction so that one message's SHA1RNDS4 runs while the other's
// waits for its previous result.
//
//	message a: ABCD X0, E X1 X2, schedule X3 X4 X5 X6
//	message b: ABCD X8, E X9 X10, schedule X11 X12 X13 X14
//	X7 the byte-swap mask, X15 scratch; the frame saves both states.

// byteswap reverses the 16 bytes of a register: the block's big-endian
// words, in the order SHA1RNDS4 wants them.
DATA byteswap<>+0(SB)/8, $0x08090a0b0c0d0e0f
DATA byteswap<>+8(SB)/8, $0x0001020304050607
GLOBL byteswap<>(SB), RODATA|NOPTR, $16

// LOAD2 loads words 4k..4k+3 of both blocks (off = 16k).
#define LOAD2(off, ma, mb) \
	MOVOU off(R8), ma; MOVOU off(R9), mb; \
	PSHUFB X7, ma; PSHUFB X7, mb

// ROUNDS4x2 is four rounds of each message (16 <= rounds < 72): E gets
// the next schedule words (mw), the schedule moves on (msg2 finishes mn,
// msg1 starts mp, mx collects the xor), f picks the round function.
#define ROUNDS4x2(ea, eb, mw, mn, mx, mp, EA, EB, MW, MN, MX, MP, f) \
	SHA1NEXTE mw, ea; SHA1NEXTE MW, EA; \
	MOVO X0, eb; MOVO X8, EB; \
	SHA1MSG2 mw, mn; SHA1MSG2 MW, MN; \
	SHA1RNDS4 $f, ea, X0; SHA1RNDS4 $f, EA, X8; \
	SHA1MSG1 mw, mp; SHA1MSG1 MW, MP; \
	PXOR mw, mx; PXOR MW, MX

// func blockPair(a, b *[5]uint32, pa, pb *byte, n int)
TEXT ·blockPair(SB), NOSPLIT, $64-40
	MOVQ a+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ pa+16(FP), R8
	MOVQ pb+24(FP), R9
	MOVQ n+32(FP), CX
	TESTQ CX, CX
	JZ   ret

	MOVOU byteswap<>(SB), X7
	// ABCD with A in the top lane; E alone in the top lane of its register.
	MOVOU  (DI), X0
	PSHUFD $0x1b, X0, X0
	MOVL   16(DI), AX
	MOVQ   AX, X1
	PSLLDQ $12, X1
	MOVOU  (SI), X8
	PSHUFD $0x1b, X8, X8
	MOVL   16(SI), AX
	MOVQ   AX, X9
	PSLLDQ $12, X9

loop:
	MOVOU X0, 0(SP)
	MOVOU X1, 16(SP)
	MOVOU X8, 32(SP)
	MOVOU X9, 48(SP)

	// rounds 0-3
	LOAD2(0, X3, X11)
	PADDD X3, X1; PADDD X11, X9
	MOVO X0, X2; MOVO X8, X10
	SHA1RNDS4 $0, X1, X0; SHA1RNDS4 $0, X9, X8

	// rounds 4-7
	LOAD2(16, X4, X12)
	SHA1NEXTE X4, X2; SHA1NEXTE X12, X10
	MOVO X0, X1; MOVO X8, X9
	SHA1RNDS4 $0, X2, X0; SHA1RNDS4 $0, X10, X8
	SHA1MSG1 X4, X3; SHA1MSG1 X12, X11

	// rounds 8-11
	LOAD2(32, X5, X13)
	SHA1NEXTE X5, X1; SHA1NEXTE X13, X9
	MOVO X0, X2; MOVO X8, X10
	SHA1RNDS4 $0, X1, X0; SHA1RNDS4 $0, X9, X8
	SHA1MSG1 X5, X4; SHA1MSG1 X13, X12
	PXOR X5, X3; PXOR X13, X11

	// rounds 12-15
	LOAD2(48, X6, X14)
	SHA1NEXTE X6, X2; SHA1NEXTE X14, X10
	MOVO X0, X1; MOVO X8, X9
	SHA1MSG2 X6, X3; SHA1MSG2 X14, X11
	SHA1RNDS4 $0, X2, X0; SHA1RNDS4 $0, X10, X8
	SHA1MSG1 X6, X5; SHA1MSG1 X14, X13
	PXOR X6, X4; PXOR X14, X12

	// rounds 16-19
	ROUNDS4x2(X1, X2, X3, X4, X5, X6, X9, X10, X11, X12, X13, X14, 0)
	// rounds 20-23
	ROUNDS4x2(X2, X1, X4, X5, X6, X3, X10, X9, X12, X13, X14, X11, 1)
	// rounds 24-27
	ROUNDS4x2(X1, X2, X5, X6, X3, X4, X9, X10, X13, X14, X11, X12, 1)
	// rounds 28-31
	ROUNDS4x2(X2, X1, X6, X3, X4, X5, X10, X9, X14, X11, X12, X13, 1)
	// rounds 32-35
	ROUNDS4x2(X1, X2, X3, X4, X5, X6, X9, X10, X11, X12, X13, X14, 1)
	// rounds 36-39
	ROUNDS4x2(X2, X1, X4, X5, X6, X3, X10, X9, X12, X13, X14, X11, 1)
	// rounds 40-43
	ROUNDS4x2(X1, X2, X5, X6, X3, X4, X9, X10, X13, X14, X11, X12, 2)
	// rounds 44-47
	ROUNDS4x2(X2, X1, X6, X3, X4, X5, X10, X9, X14, X11, X12, X13, 2)
	// rounds 48-51
	ROUNDS4x2(X1, X2, X3, X4, X5, X6, X9, X10, X11, X12, X13, X14, 2)
	// rounds 52-55
	ROUNDS4x2(X2, X1, X4, X5, X6, X3, X10, X9, X12, X13, X14, X11, 2)
	// rounds 56-59
	ROUNDS4x2(X1, X2, X5, X6, X3, X4, X9, X10, X13, X14, X11, X12, 2)
	// rounds 60-63
	ROUNDS4x2(X2, X1, X6, X3, X4, X5, X10, X9, X14, X11, X12, X13, 3)
	// rounds 64-67
	ROUNDS4x2(X1, X2, X3, X4, X5, X6, X9, X10, X11, X12, X13, X14, 3)
	// rounds 68-71
	ROUNDS4x2(X2, X1, X4, X5, X6, X3, X10, X9, X12, X13, X14, X11, 3)

	// rounds 72-75: the schedule's last words, nothing new to start
	SHA1NEXTE X5, X1; SHA1NEXTE X13, X9
	MOVO X0, X2; MOVO X8, X10
	SHA1MSG2 X5, X6; SHA1MSG2 X13, X14
	SHA1RNDS4 $3, X1, X0; SHA1RNDS4 $3, X9, X8

	// rounds 76-79
	SHA1NEXTE X6, X2; SHA1NEXTE X14, X10
	MOVO X0, X1; MOVO X8, X9
	SHA1RNDS4 $3, X2, X0; SHA1RNDS4 $3, X10, X8

	// Add the block's result to the saved state.
	MOVOU 16(SP), X15
	SHA1NEXTE X15, X1
	MOVOU 0(SP), X15
	PADDD X15, X0
	MOVOU 48(SP), X15
	SHA1NEXTE X15, X9
	MOVOU 32(SP), X15
	PADDD X15, X8

	ADDQ $64, R8
	ADDQ $64, R9
	DECQ CX
	JNZ  loop

	PSHUFD $0x1b, X0, X0
	MOVOU  X0, (DI)
	PSRLDQ $12, X1
	MOVQ   X1, AX
	MOVL   AX, 16(DI)
	PSHUFD $0x1b, X8, X8
	MOVOU  X8, (SI)
	PSRLDQ $12, X9
	MOVQ   X9, AX
	MOVL   AX, 16(SI)

ret:
	RET

// func cpuidSHA() bool
TEXT ·cpuidSHA(SB), NOSPLIT, $0-1
	MOVL $0, AX
	MOVL $0, CX
	CPUID
	CMPL AX, $7
	JLT  no
	MOVL $7, AX
	MOVL $0, CX
	CPUID
	SHRL $29, BX
	ANDL $1, BX
	MOVB BX, ret+0(FP)
	RET

no:
	MOVB $0, ret+0(FP)
	RET
