#include "textflag.h"

// func kernel(b []byte, i, end int, out []uint64) (n, next int)
//
// For each 16-byte block at i, i+16, ... while i < end and out has room,
// computes at each byte j of the block:
//   runs(j) = !D(j) && !P(j) && D(j-1) && D(j-2) && D(j-3) && !D(j-4)
//   enh(j)  = D(j) && P(j-1) && D(j-2) && !D(j-3) && !P(j-3)
// (D: an ASCII digit, P: '.') and stores off<<32 | enh<<16 | runs for each
// block with a bit set. It reads b[i-4 : end+15]: the caller keeps i >= 4
// and end <= len(b)-16.
TEXT ·kernel(SB), NOSPLIT, $0-80
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
	MOVOU X2, X11
	PMINUB X9, X11
	PCMPEQB X11, X2 // D2
	PSUBB X8, X3
	MOVOU X3, X11
	PMINUB X9, X11
	PCMPEQB X11, X3 // D3
	MOVOU -4(R9), X4
	PSUBB X8, X4
	MOVOU X4, X11
	PMINUB X9, X11
	PCMPEQB X11, X4 // D4

	// runs = D1 & D2 & D3 &^ D4 &^ D0 &^ P0
	MOVOU X1, X12
	PAND X2, X12
	PAND X3, X12
	PANDN X12, X4 // X4 = ^D4 & X12
	MOVOU X0, X13
	POR X5, X13   // D0 | P0
	PANDN X4, X13 // X13 = ^(D0|P0) & X4
	PMOVMSKB X13, R10

	// enh = D0 & P1 & D2 &^ D3 &^ P3
	PAND X6, X0
	PAND X2, X0
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
