//go:build amd64 && !purego

#include "textflag.h"

// SEP writes the position of the lowest bit of R11 (any value when there
// is none), a separator at offset BX plus the bit's number, to the ends at
// R8 plus off bytes, and clears it; SEP1 writes it as the next end. LF and
// LF1 do the same with CX to the lines at R12 and R13.
#define SEP(off) \
	BSFQ R11, AX \
	ADDQ BX, AX \
	MOVL AX, off(DI)(R8*4) \
	BLSRQ R11, R11

#define LF(off) \
	BSFQ CX, AX \
	ADDQ BX, AX \
	MOVL AX, off(R12)(R13*4) \
	BLSRQ CX, CX

// BROADCAST fills Y with the byte c, through X.
#define BROADCAST(c, X, Y) \
	MOVL $c, AX \
	MOVQ AX, X \
	VPBROADCASTB X, Y

// SEP8 writes the positions of the eight lowest bits of R11.
#define SEP8 \
	SEP(0) \
	SEP(4) \
	SEP(8) \
	SEP(12) \
	SEP(16) \
	SEP(20) \
	SEP(24) \
	SEP(28)

#define SEP1 \
	SEP(0) \
	INCQ R8

#define LF1 \
	LF(0) \
	INCQ R13

// func hasAVX2() bool
TEXT ·hasAVX2(SB), NOSPLIT, $0-1
	// The highest leaf must reach 7.
	XORL AX, AX
	XORL CX, CX
	CPUID
	CMPL AX, $7
	JB   no
	// Leaf 1: AVX (ECX bit 28), OSXSAVE (bit 27) and POPCNT (bit 23).
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18800000, CX
	CMPL CX, $0x18800000
	JNE  no
	// The operating system saves the XMM and YMM registers (XCR0 bits 1, 2).
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	// Leaf 7: AVX2 (EBX bit 5) and BMI1 (bit 3).
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x28, BX
	CMPL BX, $0x28
	JNE  no
	MOVB $1, ret+0(FP)
	RET

no:
	MOVB $0, ret+0(FP)
	RET

// func splitAVX2(data []byte, ends []int32, quotes bool) (n, nl, state int)
//
// Each 32 bytes of data are compared with ',', '\n' and '"' into bit masks
// (one bit a byte); the bits below the first '\n' are the line's. The last
// bytes of data, fewer than 32, are read as the end of the last 32 bytes,
// whose masks are shifted past what was seen already.
TEXT ·splitAVX2(SB), NOSPLIT, $0-80
	MOVQ data_base+0(FP), SI
	MOVQ data_len+8(FP), DX
	MOVQ ends_base+24(FP), DI
	CMPQ DX, $32
	JLT  gaveup
	BROADCAST(0x2c, X1, Y1) // ','
	BROADCAST(0x0a, X2, Y2) // '\n'
	BROADCAST(0x22, X3, Y3) // '"'
	XORQ BX, BX // i: the offset in data of the bits' first byte
	XORQ R8, R8 // n: the fields ended so far
	XORQ R9, R9 // the high bits of the line so far

loop:
	LEAQ    32(BX), AX
	CMPQ    AX, DX
	JHI     tail
	VMOVDQU (SI)(BX*1), Y0
	XORL    CX, CX

masks:
	VPCMPEQB  Y1, Y0, Y4
	VPMOVMSKB Y4, R11 // commas
	SHRQ      CX, R11
	VPCMPEQB  Y2, Y0, Y5
	VPMOVMSKB Y5, R12 // line ends
	SHRQ      CX, R12
	VPMOVMSKB Y0, R13 // bytes ≥ 0x80
	SHRQ      CX, R13
	// R14: the bits below the first line end (all of them when there is none).
	MOVQ      R12, R14
	NEGQ      R14
	ANDQ      R12, R14
	DECQ      R14
	ANDQ      R14, R11
	ANDQ      R14, R13
	ORQ       R13, R9
	CMPB      quotes+48(FP), $0
	JEQ       commas
	VPCMPEQB  Y3, Y0, Y6
	VPMOVMSKB Y6, R13
	SHRQ      CX, R13
	TESTQ     R14, R13
	JNZ       quoted

commas:
	// The first eight commas are written whatever their number, without
	// a branch that depends on it (what is written past the number is
	// written over later); more go one at a time.
	LEAQ    8(R8), AX
	CMPQ    AX, ends_len+32(FP)
	JHI     gaveup
	POPCNTQ R11, R13
	SEP8
	CMPQ    R13, $8
	JHI     more
	ADDQ    R13, R8
	JMP     nocomma

more:
	ADDQ $8, R8

rest:
	TESTQ R11, R11
	JZ    nocomma
	CMPQ  R8, ends_len+32(FP)
	JAE   gaveup
	SEP1
	JMP   rest

nocomma:
	TESTQ R12, R12
	JNZ   newline
	ADDQ  $32, BX
	JMP   loop

tail:
	// Fewer than 32 bytes are left: read the last 32 of data and drop the
	// bits of those before BX. None left: the line runs to the end of data.
	CMPQ    BX, DX
	JAE     gaveup
	LEAQ    -32(DX), AX
	VMOVDQU (SI)(AX*1), Y0
	MOVQ    BX, CX
	SUBQ    AX, CX
	JMP     masks

newline:
	CMPQ  R8, ends_len+32(FP)
	JAE   gaveup
	BSFQ  R12, AX
	ADDQ  BX, AX
	MOVL  AX, (DI)(R8*4)
	INCQ  R8
	MOVQ  R8, n+56(FP)
	MOVQ  AX, nl+64(FP)
	XORQ  AX, AX
	TESTQ R9, R9
	SETNE AL
	MOVQ  AX, state+72(FP)
	VZEROUPPER
	RET

quoted:
	MOVQ $2, AX
	JMP  stop

gaveup:
	MOVQ $4, AX

stop:
	MOVQ $0, n+56(FP)
	MOVQ $-1, nl+64(FP)
	MOVQ AX, state+72(FP)
	VZEROUPPER
	RET

// func splitLinesAVX2(data []byte, ends, lines []int32) (nends, nlines int, high bool)
//
// Each 32 bytes of data are compared with ',' and '\n' into bit masks; the
// position of every separator goes to ends, that of every line end to
// lines, eight and two of them without a branch on their number. It stops
// before 32 bytes that data, ends (32 more) or lines (32 more) cannot take.
TEXT ·splitLinesAVX2(SB), NOSPLIT, $0-89
	MOVQ data_base+0(FP), SI
	MOVQ data_len+8(FP), DX
	MOVQ ends_base+24(FP), DI
	MOVQ lines_base+48(FP), R12
	BROADCAST(0x2c, X1, Y1) // ','
	BROADCAST(0x0a, X2, Y2) // '\n'
	XORQ BX, BX   // i: the offset of the 32 bytes in data
	XORQ R8, R8   // nends
	XORQ R13, R13 // nlines
	XORQ R9, R9   // the high bits so far

lloop:
	LEAQ      32(BX), AX
	CMPQ      AX, DX
	JHI       ldone
	LEAQ      32(R8), AX
	CMPQ      AX, ends_len+32(FP)
	JHI       ldone
	LEAQ      32(R13), AX
	CMPQ      AX, lines_len+56(FP)
	JHI       ldone
	VMOVDQU   (SI)(BX*1), Y0
	VPCMPEQB  Y1, Y0, Y4
	VPCMPEQB  Y2, Y0, Y5
	VPOR      Y4, Y5, Y6
	VPMOVMSKB Y6, R11 // separators
	VPMOVMSKB Y5, CX  // line ends
	VPMOVMSKB Y0, AX  // bytes ≥ 0x80
	ORQ       AX, R9
	POPCNTQ   R11, R10
	SEP8
	CMPQ      R10, $8
	JHI       lmoresep
	ADDQ      R10, R8

llines:
	POPCNTQ CX, R10
	LF(0)
	LF(4)
	CMPQ    R10, $2
	JHI     lmorelf
	ADDQ    R10, R13
	ADDQ    $32, BX
	JMP     lloop

lmoresep:
	ADDQ $8, R8

lsep:
	TESTQ R11, R11
	JZ    llines
	SEP1
	JMP   lsep

lmorelf:
	ADDQ $2, R13

llf:
	TESTQ CX, CX
	JZ    lnext
	LF1
	JMP   llf

lnext:
	ADDQ $32, BX
	JMP  lloop

ldone:
	MOVQ  R8, nends+72(FP)
	MOVQ  R13, nlines+80(FP)
	TESTQ R9, R9
	SETNE high+88(FP)
	VZEROUPPER
	RET
