//go:build amd64 && !purego

#include "textflag.h"

// Vector loops for the hottest element-wise steps (Go does not vectorise).
// Callers handle the tail that does not fill a whole vector.

// func maskPos32AVX(out, x, y unsafe.Pointer, n int)
// out[i] = y[i] > 0 ? x[i] : 0, n a multiple of 8.
TEXT ·maskPos32AVX(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JEQ  mp_done
	VXORPS Y0, Y0, Y0

mp_loop:
	VMOVUPS (DX), Y1
	VCMPPS  $0x1E, Y0, Y1, Y2 // y > 0 (ordered, quiet)
	VANDPS  (SI), Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ    $32, DX
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNE     mp_loop
	VZEROUPPER

mp_done:
	RET

// func accumF64AVX(acc, x unsafe.Pointer, n int)
// acc[i] += float64(x[i]) for float32 x, n a multiple of 4.
TEXT ·accumF64AVX(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JEQ  ac_done

ac_loop:
	VCVTPS2PD (SI), Y1
	VADDPD    (DI), Y1, Y1
	VMOVUPD   Y1, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	DECQ      CX
	JNE       ac_loop
	VZEROUPPER

ac_done:
	RET
