//go:build !purego

#include "textflag.h"

// func amm52x20x2(out, a, b, m *[2]limbs, k0 *[2]uint64)
//
// Two independent Montgomery multiplications, out[j] = a[j]·b[j]·2^-1040 mod m[j] for j = 0, 1, "almost"
// reduced (below 2m[j] when a[j], b[j] < 4m[j]), every output limb below 2^52. Word-by-word Montgomery
// multiplication in radix 2^52 with AVX-512 IFMA: the 20 limbs of a, m and the running sum r each fill three
// 8-lane registers (lanes 20-23 stay zero). Per limb b[i]: r += lo(a·b[i]); y = r[0]·k0 mod 2^52;
// r += lo(m·y); r[0]'s carry moves up as r shifts down one lane; then the high halves of both products,
// which belong one limb up, are added to the shifted r. Lanes hold up to 2^59, so carries are propagated
// once, at the end. Each step waits on the one before it, so the two multiplications are interleaved to
// keep the multipliers busy (the two halves of an RSA-CRT signature). No branch or address depends on the
// values.
TEXT ·amm52x20x2(SB), NOSPLIT, $0-40
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ m+24(FP), DX
	MOVQ k0+32(FP), CX
	MOVQ 0(CX), SI
	MOVQ 8(CX), DI
	MOVQ $0x000FFFFFFFFFFFFF, R10

	VMOVDQU64 0(AX), Z0
	VMOVDQU64 64(AX), Z1
	VMOVDQU64 128(AX), Z2
	VMOVDQU64 0(DX), Z3
	VMOVDQU64 64(DX), Z4
	VMOVDQU64 128(DX), Z5
	VMOVDQU64 192(AX), Z16
	VMOVDQU64 256(AX), Z17
	VMOVDQU64 320(AX), Z18
	VMOVDQU64 192(DX), Z19
	VMOVDQU64 256(DX), Z20
	VMOVDQU64 320(DX), Z21
	VPXORQ    Z6, Z6, Z6
	VPXORQ    Z7, Z7, Z7
	VPXORQ    Z8, Z8, Z8
	VPXORQ    Z9, Z9, Z9
	VPXORQ    Z22, Z22, Z22
	VPXORQ    Z23, Z23, Z23
	VPXORQ    Z24, Z24, Z24
	MOVQ      $20, CX

loop:
	VPBROADCASTQ (BX), Z10
	VPBROADCASTQ 192(BX), Z13
	VPMADD52LUQ  Z10, Z0, Z6
	VPMADD52LUQ  Z13, Z16, Z22
	VPMADD52LUQ  Z10, Z1, Z7
	VPMADD52LUQ  Z13, Z17, Z23
	VPMADD52LUQ  Z10, Z2, Z8
	VPMADD52LUQ  Z13, Z18, Z24

	VMOVQ        X6, R8
	VMOVQ        X22, R12
	IMULQ        SI, R8
	IMULQ        DI, R12
	ANDQ         R10, R8
	ANDQ         R10, R12
	VPBROADCASTQ R8, Z11
	VPBROADCASTQ R12, Z14
	VPMADD52LUQ  Z11, Z3, Z6
	VPMADD52LUQ  Z14, Z19, Z22
	VPMADD52LUQ  Z11, Z4, Z7
	VPMADD52LUQ  Z14, Z20, Z23
	VPMADD52LUQ  Z11, Z5, Z8
	VPMADD52LUQ  Z14, Z21, Z24

	VMOVQ   X6, R9
	VMOVQ   X22, R13
	SHRQ    $52, R9
	SHRQ    $52, R13
	VALIGNQ $1, Z6, Z7, Z6
	VALIGNQ $1, Z22, Z23, Z22
	VALIGNQ $1, Z7, Z8, Z7
	VALIGNQ $1, Z23, Z24, Z23
	VALIGNQ $1, Z8, Z9, Z8
	VALIGNQ $1, Z24, Z9, Z24
	VMOVQ   R9, X12
	VMOVQ   R13, X15
	VPADDQ  Z12, Z6, Z6
	VPADDQ  Z15, Z22, Z22

	VPMADD52HUQ Z10, Z0, Z6
	VPMADD52HUQ Z13, Z16, Z22
	VPMADD52HUQ Z10, Z1, Z7
	VPMADD52HUQ Z13, Z17, Z23
	VPMADD52HUQ Z10, Z2, Z8
	VPMADD52HUQ Z13, Z18, Z24
	VPMADD52HUQ Z11, Z3, Z6
	VPMADD52HUQ Z14, Z19, Z22
	VPMADD52HUQ Z11, Z4, Z7
	VPMADD52HUQ Z14, Z20, Z23
	VPMADD52HUQ Z11, Z5, Z8
	VPMADD52HUQ Z14, Z21, Z24

	ADDQ $8, BX
	DECQ CX
	JNZ  loop

	MOVQ      out+0(FP), DI
	VMOVDQU64 Z6, 0(DI)
	VMOVDQU64 Z7, 64(DI)
	VMOVDQU64 Z8, 128(DI)
	VMOVDQU64 Z22, 192(DI)
	VMOVDQU64 Z23, 256(DI)
	VMOVDQU64 Z24, 320(DI)
	VZEROUPPER

	// Propagate the carries, both results at once: every limb back below 2^52.
	XORQ R9, R9
	XORQ R13, R13
	MOVQ $20, CX

carry:
	MOVQ (DI), R8
	MOVQ 192(DI), R12
	ADDQ R9, R8
	ADDQ R13, R12
	MOVQ R8, R9
	MOVQ R12, R13
	SHRQ $52, R9
	SHRQ $52, R13
	ANDQ R10, R8
	ANDQ R10, R12
	MOVQ R8, (DI)
	MOVQ R12, 192(DI)
	ADDQ $8, DI
	DECQ CX
	JNZ  carry
	RET

// func select16(out *limbs, table *[16]limbs, k uint64)
//
// out = table[k] for k < 16, reading every entry the same way whatever k is.
TEXT ·select16(SB), NOSPLIT, $0-24
	MOVQ   out+0(FP), DI
	MOVQ   table+8(FP), SI
	MOVQ   k+16(FP), DX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	XORQ   CX, CX

next:
	// R8 = all ones when CX == k, else zero.
	MOVQ         CX, R8
	XORQ         DX, R8
	MOVQ         R8, R9
	NEGQ         R9
	ORQ          R9, R8
	SHRQ         $63, R8
	DECQ         R8
	VPBROADCASTQ R8, Z3
	VPANDQ       0(SI), Z3, Z4
	VPORQ        Z4, Z0, Z0
	VPANDQ       64(SI), Z3, Z4
	VPORQ        Z4, Z1, Z1
	VPANDQ       128(SI), Z3, Z4
	VPORQ        Z4, Z2, Z2
	ADDQ         $192, SI
	INCQ         CX
	CMPQ         CX, $16
	JNE          next

	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VZEROUPPER
	RET

// func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL subleaf+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
