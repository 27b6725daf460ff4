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
// Four rows at a time, so that their sums do not wait on each other; each
// row's sum is formed in the same order as one row alone.
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

gr_four:
	CMPQ BX, $4
	JLT  gr_row
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   SI, AX
	LEAQ   (SI)(R8*1), R11
	LEAQ   (SI)(R8*2), R12
	LEAQ   (R11)(R8*2), R13
	MOVQ   R9, DX
	MOVQ   R10, CX

gr_four_col:
	VMOVUPS     (DX), Y4
	VFMADD231PS (AX), Y4, Y0
	VFMADD231PS (R11), Y4, Y1
	VFMADD231PS (R12), Y4, Y2
	VFMADD231PS (R13), Y4, Y3
	ADDQ        $32, AX
	ADDQ        $32, R11
	ADDQ        $32, R12
	ADDQ        $32, R13
	ADDQ        $32, DX
	DECQ        CX
	JNE         gr_four_col
	VEXTRACTF128 $1, Y0, X5
	VADDPS       X5, X0, X0
	VMOVHLPS     X0, X0, X5
	VADDPS       X5, X0, X0
	VMOVSHDUP    X0, X5
	VADDSS       X5, X0, X0
	VADDSS       0(DI), X0, X0
	VMOVSS       X0, 0(DI)
	VEXTRACTF128 $1, Y1, X5
	VADDPS       X5, X1, X1
	VMOVHLPS     X1, X1, X5
	VADDPS       X5, X1, X1
	VMOVSHDUP    X1, X5
	VADDSS       X5, X1, X1
	VADDSS       4(DI), X1, X1
	VMOVSS       X1, 4(DI)
	VEXTRACTF128 $1, Y2, X5
	VADDPS       X5, X2, X2
	VMOVHLPS     X2, X2, X5
	VADDPS       X5, X2, X2
	VMOVSHDUP    X2, X5
	VADDSS       X5, X2, X2
	VADDSS       8(DI), X2, X2
	VMOVSS       X2, 8(DI)
	VEXTRACTF128 $1, Y3, X5
	VADDPS       X5, X3, X3
	VMOVHLPS     X3, X3, X5
	VADDPS       X5, X3, X3
	VMOVSHDUP    X3, X5
	VADDSS       X5, X3, X3
	VADDSS       12(DI), X3, X3
	VMOVSS       X3, 12(DI)
	LEAQ (SI)(R8*4), SI
	ADDQ $16, DI
	SUBQ $4, BX
	JMP  gr_four

gr_row:
	TESTQ BX, BX
	JEQ   gr_end
	VXORPS Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   R9, DX
	MOVQ   R10, CX

gr_col:
	VMOVUPS     (DX), Y4
	VFMADD231PS (AX), Y4, Y0
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
	JMP          gr_row

gr_end:
	VZEROUPPER

gr_done:
	RET

// func gemvCols32AVX(b unsafe.Pointer, ldb int, x, y unsafe.Pointer, k, n int)
// y[j] += sum_p x[p]*b[p*ldb+j] for j < n (a multiple of 8), p < k.
// The sums for 32 (then 8) columns stay in registers over all k rows
// instead of going through memory each row; each column still adds its
// terms in order p = 0, 1, ... onto y[j], so results are as before.
TEXT ·gemvCols32AVX(SB), NOSPLIT, $0-48
	MOVQ b+0(FP), SI
	MOVQ ldb+8(FP), R8
	SHLQ $2, R8
	MOVQ x+16(FP), R9
	MOVQ y+24(FP), DI
	MOVQ k+32(FP), BX
	MOVQ n+40(FP), R10
	TESTQ BX, BX
	JEQ  gc_done

gc_chunk32:
	CMPQ R10, $32
	JLT  gc_chunk8
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	MOVQ SI, AX
	MOVQ R9, DX
	MOVQ BX, CX

gc_row32:
	VBROADCASTSS (DX), Y8
	VFMADD231PS  (AX), Y8, Y0
	VFMADD231PS  32(AX), Y8, Y1
	VFMADD231PS  64(AX), Y8, Y2
	VFMADD231PS  96(AX), Y8, Y3
	ADDQ         R8, AX
	ADDQ         $4, DX
	DECQ         CX
	JNE          gc_row32
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, R10
	JMP     gc_chunk32

gc_chunk8:
	CMPQ R10, $8
	JLT  gc_end
	VMOVUPS (DI), Y0
	MOVQ SI, AX
	MOVQ R9, DX
	MOVQ BX, CX

gc_row8:
	VBROADCASTSS (DX), Y8
	VFMADD231PS  (AX), Y8, Y0
	ADDQ         R8, AX
	ADDQ         $4, DX
	DECQ         CX
	JNE          gc_row8
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, R10
	JMP     gc_chunk8

gc_end:
	VZEROUPPER

gc_done:
	RET

// func colSumF64AVX(acc, x unsafe.Pointer, rows, cols, ldx int)
// acc[j] += float64(x[i*ldx+j]) for i < rows, j < cols (a multiple of 4).
// As in gemvCols32AVX, the sums of 16 (then 4) columns stay in registers,
// adding rows in order onto acc[j].
TEXT ·colSumF64AVX(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ cols+24(FP), R10
	MOVQ ldx+32(FP), R8
	SHLQ $2, R8
	TESTQ BX, BX
	JEQ  cs_done

cs_chunk16:
	CMPQ R10, $16
	JLT  cs_chunk4
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	MOVQ SI, AX
	MOVQ BX, CX

cs_row16:
	VCVTPS2PD (AX), Y8
	VADDPD    Y8, Y0, Y0
	VCVTPS2PD 16(AX), Y9
	VADDPD    Y9, Y1, Y1
	VCVTPS2PD 32(AX), Y10
	VADDPD    Y10, Y2, Y2
	VCVTPS2PD 48(AX), Y11
	VADDPD    Y11, Y3, Y3
	ADDQ      R8, AX
	DECQ      CX
	JNE       cs_row16
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $64, SI
	ADDQ    $128, DI
	SUBQ    $16, R10
	JMP     cs_chunk16

cs_chunk4:
	CMPQ R10, $4
	JLT  cs_end
	VMOVUPD (DI), Y0
	MOVQ SI, AX
	MOVQ BX, CX

cs_row4:
	VCVTPS2PD (AX), Y8
	VADDPD    Y8, Y0, Y0
	ADDQ      R8, AX
	DECQ      CX
	JNE       cs_row4
	VMOVUPD Y0, (DI)
	ADDQ    $16, SI
	ADDQ    $32, DI
	SUBQ    $4, R10
	JMP     cs_chunk4

cs_end:
	VZEROUPPER

cs_done:
	RET

// func colSumF64AVX512(acc, x unsafe.Pointer, rows, cols, ldx int)
// colSumF64AVX for cols a multiple of 32, with 32 sums in four ZMM
// registers: half the passes over x of the 16-column AVX2 loop, same order.
TEXT ·colSumF64AVX512(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), BX
	MOVQ cols+24(FP), R10
	MOVQ ldx+32(FP), R8
	SHLQ $2, R8
	TESTQ BX, BX
	JEQ  cz_done

cz_chunk:
	CMPQ R10, $32
	JLT  cz_end
	VMOVUPD (DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3
	MOVQ SI, AX
	MOVQ BX, CX

cz_row:
	VCVTPS2PD (AX), Z8
	VADDPD    Z8, Z0, Z0
	VCVTPS2PD 32(AX), Z9
	VADDPD    Z9, Z1, Z1
	VCVTPS2PD 64(AX), Z10
	VADDPD    Z10, Z2, Z2
	VCVTPS2PD 96(AX), Z11
	VADDPD    Z11, Z3, Z3
	ADDQ      R8, AX
	DECQ      CX
	JNE       cz_row
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	ADDQ    $128, SI
	ADDQ    $256, DI
	SUBQ    $32, R10
	JMP     cz_chunk

cz_end:
	VZEROUPPER

cz_done:
	RET

// func maskColSum32AVX(out, grad, y, acc unsafe.Pointer, rows, cols int)
// out[i][j] = grad[i][j] where y[i][j] > 0, else 0 (as maskPos32AVX), and
// acc[j] += float64(out[i][j]) (as colSumF64AVX, rows in order), for a
// rows x cols row-major matrix, cols a multiple of 32: the ReLU's backward
// and the bias gradient in one pass.
TEXT ·maskColSum32AVX(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ acc+24(FP), R9
	MOVQ rows+32(FP), BX
	MOVQ cols+40(FP), R10
	MOVQ R10, R8
	SHLQ $2, R8 // row stride in bytes
	TESTQ BX, BX
	JEQ  mc_done
	VXORPS Y15, Y15, Y15

mc_chunk:
	CMPQ R10, $32
	JLT  mc_end
	VMOVUPD (R9), Y0
	VMOVUPD 32(R9), Y1
	VMOVUPD 64(R9), Y2
	VMOVUPD 96(R9), Y3
	VMOVUPD 128(R9), Y4
	VMOVUPD 160(R9), Y5
	VMOVUPD 192(R9), Y6
	VMOVUPD 224(R9), Y7
	MOVQ DI, R11
	MOVQ SI, R12
	MOVQ DX, R13
	MOVQ BX, CX

mc_row:
	VMOVUPS (R13), Y8
	VCMPPS  $0x1E, Y15, Y8, Y8
	VANDPS  (R12), Y8, Y8
	VMOVUPS Y8, (R11)
	VMOVUPS 32(R13), Y9
	VCMPPS  $0x1E, Y15, Y9, Y9
	VANDPS  32(R12), Y9, Y9
	VMOVUPS Y9, 32(R11)
	VMOVUPS 64(R13), Y10
	VCMPPS  $0x1E, Y15, Y10, Y10
	VANDPS  64(R12), Y10, Y10
	VMOVUPS Y10, 64(R11)
	VMOVUPS 96(R13), Y11
	VCMPPS  $0x1E, Y15, Y11, Y11
	VANDPS  96(R12), Y11, Y11
	VMOVUPS Y11, 96(R11)
	VCVTPS2PD X8, Y12
	VADDPD    Y12, Y0, Y0
	VEXTRACTF128 $1, Y8, X8
	VCVTPS2PD X8, Y12
	VADDPD    Y12, Y1, Y1
	VCVTPS2PD X9, Y13
	VADDPD    Y13, Y2, Y2
	VEXTRACTF128 $1, Y9, X9
	VCVTPS2PD X9, Y13
	VADDPD    Y13, Y3, Y3
	VCVTPS2PD X10, Y12
	VADDPD    Y12, Y4, Y4
	VEXTRACTF128 $1, Y10, X10
	VCVTPS2PD X10, Y12
	VADDPD    Y12, Y5, Y5
	VCVTPS2PD X11, Y13
	VADDPD    Y13, Y6, Y6
	VEXTRACTF128 $1, Y11, X11
	VCVTPS2PD X11, Y13
	VADDPD    Y13, Y7, Y7
	ADDQ R8, R11
	ADDQ R8, R12
	ADDQ R8, R13
	DECQ CX
	JNE  mc_row
	VMOVUPD Y0, (R9)
	VMOVUPD Y1, 32(R9)
	VMOVUPD Y2, 64(R9)
	VMOVUPD Y3, 96(R9)
	VMOVUPD Y4, 128(R9)
	VMOVUPD Y5, 160(R9)
	VMOVUPD Y6, 192(R9)
	VMOVUPD Y7, 224(R9)
	ADDQ $128, DI
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $256, R9
	SUBQ $32, R10
	JMP  mc_chunk

mc_end:
	VZEROUPPER

mc_done:
	RET

// func maskColSum32AVX512(out, grad, y, acc unsafe.Pointer, rows, cols int)
// maskColSum32AVX with the compare into an opmask and a zeroing masked
// load: per 32 columns of a row, 8 vector uops on the ports the
// conversions need where the AVX2 loop takes 12.
TEXT ·maskColSum32AVX512(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ acc+24(FP), R9
	MOVQ rows+32(FP), BX
	MOVQ cols+40(FP), R10
	MOVQ R10, R8
	SHLQ $2, R8 // row stride in bytes
	TESTQ BX, BX
	JEQ  mz_done
	VPXORD Z15, Z15, Z15

mz_chunk:
	CMPQ R10, $32
	JLT  mz_end
	VMOVUPD (R9), Z0
	VMOVUPD 64(R9), Z1
	VMOVUPD 128(R9), Z2
	VMOVUPD 192(R9), Z3
	MOVQ DI, R11
	MOVQ SI, R12
	MOVQ DX, R13
	MOVQ BX, CX

mz_row:
	VCMPPS    $0x11, (R13), Z15, K1 // 0 < y
	VMOVUPS.Z (R12), K1, Z8
	VMOVUPS   Z8, (R11)
	VCMPPS    $0x11, 64(R13), Z15, K2
	VMOVUPS.Z 64(R12), K2, Z10
	VMOVUPS   Z10, 64(R11)
	VCVTPS2PD Y8, Z12
	VADDPD    Z12, Z0, Z0
	VEXTRACTF64X4 $1, Z8, Y9
	VCVTPS2PD Y9, Z13
	VADDPD    Z13, Z1, Z1
	VCVTPS2PD Y10, Z12
	VADDPD    Z12, Z2, Z2
	VEXTRACTF64X4 $1, Z10, Y11
	VCVTPS2PD Y11, Z13
	VADDPD    Z13, Z3, Z3
	ADDQ R8, R11
	ADDQ R8, R12
	ADDQ R8, R13
	DECQ CX
	JNE  mz_row
	VMOVUPD Z0, (R9)
	VMOVUPD Z1, 64(R9)
	VMOVUPD Z2, 128(R9)
	VMOVUPD Z3, 192(R9)
	ADDQ $128, DI
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $256, R9
	SUBQ $32, R10
	JMP  mz_chunk

mz_end:
	VZEROUPPER

mz_done:
	RET
