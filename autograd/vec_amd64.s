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

// func dot32AVX(x, y unsafe.Pointer, n int) float32
// sum of x[i]*y[i], n a multiple of 8.
TEXT ·dot32AVX(SB), NOSPLIT, $0-28
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   n+16(FP), CX
	VXORPS Y0, Y0, Y0
	SHRQ   $3, CX
	JEQ    dot_sum

dot_loop:
	VMOVUPS     (SI), Y1
	VFMADD231PS (DI), Y1, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNE         dot_loop

dot_sum:
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+24(FP)
	RET

// func axpy32AVX(alpha float32, x, y unsafe.Pointer, n int)
// y[i] += alpha*x[i], n a multiple of 8.
TEXT ·axpy32AVX(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $3, CX
	JEQ          axpy_done

axpy_loop:
	VMOVUPS     (SI), Y1
	VFMADD213PS (DI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNE         axpy_loop
	VZEROUPPER

axpy_done:
	RET

// func gemvRows32AVX(a unsafe.Pointer, lda int, x, y unsafe.Pointer, m, k int)
// y[i] += sum_p a[i*lda+p]*x[p] for i < m, over the first k (a multiple of 8) columns.
TEXT ·gemvRows32AVX(SB), NOSPLIT, $0-48
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), R8
	SHLQ $2, R8
	MOVQ x+16(FP), R9
	MOVQ y+24(FP), DI
	MOVQ m+32(FP), BX
	MOVQ k+40(FP), R10
	SHRQ $3, R10
	TESTQ BX, BX
	JEQ  gr_done
	TESTQ R10, R10
	JEQ  gr_done

gr_row:
	VXORPS Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   R9, DX
	MOVQ   R10, CX

gr_col:
	VMOVUPS     (AX), Y1
	VFMADD231PS (DX), Y1, Y0
	ADDQ        $32, AX
	ADDQ        $32, DX
	DECQ        CX
	JNE         gr_col
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VADDSS       (DI), X0, X0
	VMOVSS       X0, (DI)
	ADDQ         R8, SI
	ADDQ         $4, DI
	DECQ         BX
	JNE          gr_row
	VZEROUPPER

gr_done:
	RET

// func gemvCols32AVX(b unsafe.Pointer, ldb int, x, y unsafe.Pointer, k, n int)
// y[j] += sum_p x[p]*b[p*ldb+j] for j < n (a multiple of 8), p < k.
TEXT ·gemvCols32AVX(SB), NOSPLIT, $0-48
	MOVQ b+0(FP), SI
	MOVQ ldb+8(FP), R8
	SHLQ $2, R8
	MOVQ x+16(FP), R9
	MOVQ y+24(FP), DI
	MOVQ k+32(FP), BX
	MOVQ n+40(FP), R10
	SHRQ $3, R10
	TESTQ BX, BX
	JEQ  gc_done
	TESTQ R10, R10
	JEQ  gc_done

gc_row:
	VBROADCASTSS (R9), Y0
	MOVQ         SI, AX
	MOVQ         DI, DX
	MOVQ         R10, CX

gc_col:
	VMOVUPS     (AX), Y1
	VFMADD213PS (DX), Y0, Y1
	VMOVUPS     Y1, (DX)
	ADDQ        $32, AX
	ADDQ        $32, DX
	DECQ        CX
	JNE         gc_col
	ADDQ        R8, SI
	ADDQ        $4, R9
	DECQ        BX
	JNE         gc_row
	VZEROUPPER

gc_done:
	RET

// func colSumF64AVX(acc, x unsafe.Pointer, rows, cols, ldx int)
// acc[j] += float64(x[i*ldx+j]) for i < rows, j < cols (a multiple of 4).
TEXT ·colSumF64AVX(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ cols+24(FP), R10
	SHRQ $2, R10
	MOVQ ldx+32(FP), R8
	SHLQ $2, R8
	TESTQ BX, BX
	JEQ  cs_done
	TESTQ R10, R10
	JEQ  cs_done

cs_row:
	MOVQ SI, AX
	MOVQ DI, DX
	MOVQ R10, CX

cs_col:
	VCVTPS2PD (AX), Y1
	VADDPD    (DX), Y1, Y1
	VMOVUPD   Y1, (DX)
	ADDQ      $16, AX
	ADDQ      $32, DX
	DECQ      CX
	JNE       cs_col
	ADDQ      R8, SI
	DECQ      BX
	JNE       cs_row
	VZEROUPPER

cs_done:
	RET
