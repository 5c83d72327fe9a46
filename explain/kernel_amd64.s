#include "textflag.h"

// func kernelSSE2(b []byte, i, end int, out []uint64) (n, next int)
//
// For each 16-byte block at i, i+16, ... while i < end and out has room,
// computes at each byte j of the block:
//   runs(j) = !D(j) && !P(j) && D(j-1) && D(j-2) && D(j-3) && !D(j-4)
//   enh(j)  = D(j) && P(j-1) && D(j-2) && !D(j-3) && !P(j-3)
// (D: an ASCII digit, P: '.') and stores off<<32 | enh<<16 | runs for each
// block with a bit set. It reads b[i-4 : end+15]: the caller keeps i >= 4
// and end <= len(b)-16.
TEXT ·kernelSSE2(SB), NOSPLIT, $0-80
	MOVQ b_base+0(FP), SI
	MOVQ i+24(FP), AX
	MOVQ end+32(FP), BX
	MOVQ out_base+40(FP), DI
	MOVQ out_len+48(FP), CX
	XORQ DX, DX

	MOVQ $0x3030303030303030, R8
	MOVQ R8, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x0909090909090909, R8
	MOVQ R8, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x2e2e2e2e2e2e2e2e, R8
	MOVQ R8, X10
	PUNPCKLQDQ X10, X10
	MOVQ $0x0202020202020202, R8
	MOVQ R8, X14
	PUNPCKLQDQ X14, X14
	MOVQ $0x0303030303030303, R8
	MOVQ R8, X15
	PUNPCKLQDQ X15, X15

loop:
	CMPQ AX, BX
	JGE done
	CMPQ DX, CX
	JGE done
	LEAQ (SI)(AX*1), R9

	// Dots at j, j-1, j-3.
	MOVOU (R9), X0
	MOVOU X0, X5
	PCMPEQB X10, X5
	MOVOU -1(R9), X1
	MOVOU X1, X6
	PCMPEQB X10, X6
	MOVOU -3(R9), X3
	MOVOU X3, X7
	PCMPEQB X10, X7

	// Digits: v-'0' equals min(v-'0', 9) exactly for '0'..'9'.
	PSUBB X8, X0
	MOVOU X0, X11
	PMINUB X9, X11
	PCMPEQB X11, X0 // D0
	PSUBB X8, X1
	MOVOU X1, X11
	PMINUB X9, X11
	PCMPEQB X11, X1 // D1
	MOVOU -2(R9), X2
	PSUBB X8, X2
	// E2: the byte at j-2 is 2, 4 or 5 (v-'0'-2 is at most 3, and not 1).
	MOVOU X2, X12
	PSUBB X14, X12
	MOVOU X12, X13
	PMINUB X15, X13
	PCMPEQB X12, X13 // v-'0'-2 <= 3
	MOVOU X14, X11
	PSRLW $1, X11    // ones
	PCMPEQB X11, X12 // v-'0'-2 == 1
	PANDN X13, X12   // X12 = E2
	MOVOU X2, X11
	PMINUB X9, X11
	PCMPEQB X11, X2 // D2
	PSUBB X8, X3
	// R3: the byte at j-3 is 2 to 5.
	MOVOU X3, X13
	PSUBB X14, X13
	MOVOU X13, X11
	PMINUB X15, X11
	PCMPEQB X11, X13 // X13 = R3
	MOVOU X3, X11
	PMINUB X9, X11
	PCMPEQB X11, X3 // D3
	MOVOU -4(R9), X4
	PSUBB X8, X4
	MOVOU X4, X11
	PMINUB X9, X11
	PCMPEQB X11, X4 // D4

	// runs = D1 & D2 & R3 &^ D4 &^ (D0 | P0)
	PAND X2, X1
	PAND X13, X1
	PANDN X1, X4  // X4 = ^D4 & X1
	MOVOU X0, X13
	POR X5, X13   // D0 | P0
	PANDN X4, X13 // X13 = ^(D0|P0) & X4
	PMOVMSKB X13, R10

	// enh = D0 & P1 & E2 &^ (D3 | P3)
	PAND X6, X0
	PAND X12, X0
	POR X7, X3    // D3 | P3
	PANDN X0, X3  // X3 = ^(D3|P3) & X0
	PMOVMSKB X3, R11

	MOVQ R10, R12
	ORQ R11, R12
	JZ next

	SHLQ $16, R11
	ORQ R11, R10
	MOVQ AX, R12
	SHLQ $32, R12
	ORQ R12, R10
	MOVQ R10, (DI)(DX*8)
	INCQ DX

next:
	ADDQ $16, AX
	JMP loop

done:
	MOVQ DX, n+64(FP)
	MOVQ AX, next+72(FP)
	RET

// func kernelAVX2(b []byte, i, end int, out []uint64) (n, next int)
//
// kernelSSE2 on two 16-byte blocks at a time (one 32-byte vector), storing
// each block's word as kernelSSE2 does. It goes on while both blocks are
// below end and out has room for two words, and stops at the first block
// it did not look at: the caller finishes with kernelSSE2. It reads
// b[i-4 : i+32] at each step, within b[i-4 : end+15].
TEXT ·kernelAVX2(SB), NOSPLIT, $0-80
	MOVQ b_base+0(FP), SI
	MOVQ i+24(FP), AX
	MOVQ end+32(FP), BX
	MOVQ out_base+40(FP), DI
	MOVQ out_len+48(FP), CX
	XORQ DX, DX
	SUBQ $16, BX // two blocks: AX+16 < end
	DECQ CX      // room for two words: DX+1 < len(out)

	MOVQ $0x3030303030303030, R8
	MOVQ R8, X8
	VPBROADCASTQ X8, Y8
	MOVQ $0x0909090909090909, R8
	MOVQ R8, X9
	VPBROADCASTQ X9, Y9
	MOVQ $0x2e2e2e2e2e2e2e2e, R8
	MOVQ R8, X10
	VPBROADCASTQ X10, Y10
	MOVQ $0x0202020202020202, R8
	MOVQ R8, X14
	VPBROADCASTQ X14, Y14
	MOVQ $0x0303030303030303, R8
	MOVQ R8, X15
	VPBROADCASTQ X15, Y15

avxloop:
	CMPQ AX, BX
	JGE avxdone
	CMPQ DX, CX
	JGE avxdone
	LEAQ (SI)(AX*1), R9

	// Dots at j, j-1, j-3.
	VMOVDQU (R9), Y0
	VPCMPEQB Y10, Y0, Y5 // P0
	VMOVDQU -1(R9), Y1
	VPCMPEQB Y10, Y1, Y6 // P1
	VMOVDQU -3(R9), Y3
	VPCMPEQB Y10, Y3, Y7 // P3

	// Digits: v-'0' equals min(v-'0', 9) exactly for '0'..'9'.
	VPSUBB Y8, Y0, Y0
	VPMINUB Y9, Y0, Y11
	VPCMPEQB Y11, Y0, Y0 // D0
	VPSUBB Y8, Y1, Y1
	VPMINUB Y9, Y1, Y11
	VPCMPEQB Y11, Y1, Y1 // D1
	VMOVDQU -2(R9), Y2
	VPSUBB Y8, Y2, Y2
	// E2: the byte at j-2 is 2, 4 or 5 (v-'0'-2 is at most 3, and not 1).
	VPSUBB Y14, Y2, Y12
	VPMINUB Y15, Y12, Y13
	VPCMPEQB Y13, Y12, Y13 // v-'0'-2 <= 3
	VPSRLW $1, Y14, Y11    // ones
	VPCMPEQB Y11, Y12, Y12 // v-'0'-2 == 1
	VPANDN Y13, Y12, Y12   // Y12 = E2
	VPMINUB Y9, Y2, Y11
	VPCMPEQB Y11, Y2, Y2 // D2
	VPSUBB Y8, Y3, Y3
	// R3: the byte at j-3 is 2 to 5.
	VPSUBB Y14, Y3, Y13
	VPMINUB Y15, Y13, Y11
	VPCMPEQB Y11, Y13, Y13 // Y13 = R3
	VPMINUB Y9, Y3, Y11
	VPCMPEQB Y11, Y3, Y3 // D3
	VMOVDQU -4(R9), Y4
	VPSUBB Y8, Y4, Y4
	VPMINUB Y9, Y4, Y11
	VPCMPEQB Y11, Y4, Y4 // D4

	// runs = D1 & D2 & R3 &^ D4 &^ (D0 | P0)
	VPAND Y2, Y1, Y1
	VPAND Y13, Y1, Y1
	VPANDN Y1, Y4, Y1 // ^D4 & Y1
	VPOR Y5, Y0, Y4
	VPANDN Y1, Y4, Y4 // ^(D0|P0) & Y1
	VPMOVMSKB Y4, R10

	// enh = D0 & P1 & E2 &^ (D3 | P3)
	VPAND Y6, Y0, Y0
	VPAND Y12, Y0, Y0
	VPOR Y7, Y3, Y3
	VPANDN Y0, Y3, Y3 // ^(D3|P3) & Y0
	VPMOVMSKB Y3, R11

	MOVQ R10, R12
	ORQ R11, R12
	JZ avxnext

	// The first block's word.
	MOVQ R10, R12
	ANDQ $0xffff, R12
	MOVQ R11, R13
	ANDQ $0xffff, R13
	MOVQ R12, R14
	ORQ R13, R14
	JZ avxhigh
	SHLQ $16, R13
	ORQ R13, R12
	MOVQ AX, R14
	SHLQ $32, R14
	ORQ R14, R12
	MOVQ R12, (DI)(DX*8)
	INCQ DX

avxhigh:
	// The second block's word.
	SHRQ $16, R10
	SHRQ $16, R11
	MOVQ R10, R12
	ORQ R11, R12
	JZ avxnext
	SHLQ $16, R11
	ORQ R11, R10
	LEAQ 16(AX), R14
	SHLQ $32, R14
	ORQ R14, R10
	MOVQ R10, (DI)(DX*8)
	INCQ DX

avxnext:
	ADDQ $32, AX
	JMP avxloop

avxdone:
	VZEROUPPER
	MOVQ DX, n+64(FP)
	MOVQ AX, next+72(FP)
	RET

// func hasAVX2() bool
TEXT ·hasAVX2(SB), NOSPLIT, $0-1
	// AVX and OSXSAVE (CPUID 1, ECX bits 28 and 27).
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX
	CMPL CX, $0x18000000
	JNE no
	// The OS saves the XMM and YMM registers (XCR0 bits 1 and 2).
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE no
	// AVX2 (CPUID 7.0, EBX bit 5).
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX
	JZ no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// func dotLettersAVX2(b []byte, i int, pos []int32) (n, next int)
//
// Stores in pos the offsets j of b[i:] where b[j] is '.' and b[j+1] an
// ASCII letter, 32 bytes at a time while b[i : i+33] is there to read and
// pos has room for 32 more; it returns how many it stored and where it
// stopped. The caller looks at the bytes from next on itself.
TEXT ·dotLettersAVX2(SB), NOSPLIT, $0-72
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ i+24(FP), AX
	MOVQ pos_base+32(FP), DI
	MOVQ pos_len+40(FP), CX
	XORQ DX, DX
	SUBQ $32, BX // AX+32 < len(b): b[AX+32] is there
	SUBQ $32, CX // DX+32 <= len(pos)

	MOVQ $0x2e2e2e2e2e2e2e2e, R8
	MOVQ R8, X10
	VPBROADCASTQ X10, Y10 // '.'
	MOVQ $0x2020202020202020, R8
	MOVQ R8, X11
	VPBROADCASTQ X11, Y11 // the case bit
	MOVQ $0x6161616161616161, R8
	MOVQ R8, X12
	VPBROADCASTQ X12, Y12 // 'a'
	MOVQ $0x1919191919191919, R8
	MOVQ R8, X13
	VPBROADCASTQ X13, Y13 // 'z'-'a'

dlloop:
	CMPQ AX, BX
	JGE dldone
	CMPQ DX, CX
	JG dldone
	VMOVDQU (SI)(AX*1), Y0
	VPCMPEQB Y10, Y0, Y0 // a dot at j
	VMOVDQU 1(SI)(AX*1), Y1
	VPOR Y11, Y1, Y1
	VPSUBB Y12, Y1, Y1
	VPMINUB Y13, Y1, Y2
	VPCMPEQB Y2, Y1, Y1 // a letter at j+1: (c|0x20)-'a' <= 25
	VPAND Y1, Y0, Y0
	VPMOVMSKB Y0, R8
	TESTQ R8, R8
	JZ dlnext
dlbit:
	BSFQ R8, R9
	ADDQ AX, R9
	MOVL R9, (DI)(DX*4)
	INCQ DX
	LEAQ -1(R8), R9
	ANDQ R9, R8
	JNZ dlbit
dlnext:
	ADDQ $32, AX
	JMP dlloop

dldone:
	VZEROUPPER
	MOVQ DX, n+56(FP)
	MOVQ AX, next+64(FP)
	RET

// func nlBitmapAVX2(b []byte, bm []uint64) (words int)
//
// Stores in bm[k] the newlines of b[64k : 64k+64] as bits, for each whole
// 64 bytes of b while bm has room, and returns how many words it stored.
TEXT ·nlBitmapAVX2(SB), NOSPLIT, $0-56
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ bm_base+24(FP), DI
	MOVQ bm_len+32(FP), CX
	SHRQ $6, BX // whole 64-byte words in b
	CMPQ BX, CX
	JLE nbok
	MOVQ CX, BX
nbok:
	XORQ DX, DX
	MOVQ $0x0a0a0a0a0a0a0a0a, R8
	MOVQ R8, X10
	VPBROADCASTQ X10, Y10

nbloop:
	CMPQ DX, BX
	JGE nbdone
	MOVQ DX, R9
	SHLQ $6, R9
	VMOVDQU (SI)(R9*1), Y0
	VMOVDQU 32(SI)(R9*1), Y1
	VPCMPEQB Y10, Y0, Y0
	VPCMPEQB Y10, Y1, Y1
	VPMOVMSKB Y0, R10
	VPMOVMSKB Y1, R11
	SHLQ $32, R11
	ORQ R11, R10
	MOVQ R10, (DI)(DX*8)
	INCQ DX
	JMP nbloop

nbdone:
	VZEROUPPER
	MOVQ DX, words+48(FP)
	RET
