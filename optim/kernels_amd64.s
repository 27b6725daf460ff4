#include "textflag.h"

// The loops below do 8 float32 lanes at a time with the instructions ATen's
// AVX2 kernels use (VFMADD231PS for add(alpha=), VMULPS, VDIVPS, VSQRTPS, VADDPS),
// so every lane rounds exactly as PyTorch's does. n is a multiple of 8; k points
// to the ...Args block of fast.go.

// func sgdAVX2(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// with momentum: buf = first ? d : fma(d, 1-dampening, buf*momentum)
//                d = nesterov ? fma(buf, momentum, d) : buf
// p = fma(d, -lr, p)
TEXT ·sgdAVX2(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ buf+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), AX
	VBROADCASTSS 0(AX), Y0  // momentum
	VBROADCASTSS 4(AX), Y1  // 1-dampening
	VBROADCASTSS 8(AX), Y2  // -lr
	VBROADCASTSS 12(AX), Y6 // weight decay
	MOVL         16(AX), R10 // flags
	VPCMPEQD     Y7, Y7, Y7
	VPSLLD       $31, Y7, Y7 // sign bits
	SHRQ         $3, CX
	JZ           sgd_done

sgd_loop:
	VMOVUPS (SI), Y4
	VMOVUPS (DI), Y5
	TESTL   $8, R10 // maximize
	JZ      sgd_wd
	VXORPS  Y7, Y4, Y4

sgd_wd:
	TESTL       $16, R10 // weight decay
	JZ          sgd_mom
	VFMADD231PS Y6, Y5, Y4

sgd_mom:
	TESTL       $1, R10 // momentum
	JZ          sgd_update
	TESTL       $4, R10 // first step: the buffer is a copy of d
	JNZ         sgd_first
	VMOVUPS     (DX), Y3
	VMULPS      Y0, Y3, Y3
	VFMADD231PS Y1, Y4, Y3
	JMP         sgd_store

sgd_first:
	VMOVAPS Y4, Y3

sgd_store:
	VMOVUPS     Y3, (DX)
	ADDQ        $32, DX
	TESTL       $2, R10 // nesterov
	JZ          sgd_heavy
	VFMADD231PS Y0, Y3, Y4
	JMP         sgd_update

sgd_heavy:
	VMOVAPS Y3, Y4

sgd_update:
	VFMADD231PS Y2, Y4, Y5
	VMOVUPS     Y5, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         sgd_loop

sgd_done:
	VZEROUPPER
	RET

// func adamAVX2(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if L2 weight decay: d = fma(p, wd, d)
// if decoupled (AdamW): p *= 1 - lr*wd
// m = fma(d, 1-beta1, m*beta1)
// v = fma((1-beta2)*d, d, v*beta2)
// amsgrad: maxSq = maximum(maxSq, v) (NaN if either is, as ATen's), used for v below
// p = p + (-stepSize*m) / (sqrt(v)/bc2sqrt + eps)
TEXT ·adamAVX2(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ maxSq+32(FP), DX
	MOVQ n+40(FP), CX
	MOVQ k+48(FP), AX
	VBROADCASTSS 0(AX), Y0   // beta1
	VBROADCASTSS 4(AX), Y1   // 1-beta1
	VBROADCASTSS 8(AX), Y2   // beta2
	VBROADCASTSS 12(AX), Y3  // 1-beta2
	VBROADCASTSS 16(AX), Y4  // bc2sqrt
	VBROADCASTSS 20(AX), Y5  // eps
	VBROADCASTSS 24(AX), Y6  // -stepSize
	VBROADCASTSS 28(AX), Y14 // decay
	VBROADCASTSS 32(AX), Y15 // weight decay
	MOVL         36(AX), R10 // flags
	VPCMPEQD     Y12, Y12, Y12
	VPSLLD       $31, Y12, Y12 // sign bits
	SHRQ         $3, CX
	JZ           adam_done

adam_loop:
	VMOVUPS (SI), Y7
	VMOVUPS (DI), Y13
	TESTL   $1, R10 // maximize
	JZ      adam_l2
	VXORPS  Y12, Y7, Y7

adam_l2:
	TESTL       $2, R10 // L2 weight decay (Adam)
	JZ          adam_decay
	VFMADD231PS Y15, Y13, Y7

adam_decay:
	TESTL  $4, R10 // decoupled weight decay (AdamW)
	JZ     adam_moments
	VMULPS Y14, Y13, Y13

adam_moments:
	VMOVUPS     (R8), Y8
	VMULPS      Y0, Y8, Y8
	VFMADD231PS Y1, Y7, Y8
	VMOVUPS     Y8, (R8)
	VMOVUPS     (R9), Y9
	VMULPS      Y2, Y9, Y9
	VMULPS      Y3, Y7, Y10
	VFMADD231PS Y7, Y10, Y9
	VMOVUPS     Y9, (R9)
	TESTL       $8, R10 // amsgrad
	JZ          adam_denom
	VMOVUPS     (DX), Y10
	VMAXPS      Y9, Y10, Y11
	VCMPPS      $3, Y9, Y10, Y10 // unordered: either is NaN
	VORPS       Y10, Y11, Y9
	VMOVUPS     Y9, (DX)
	ADDQ        $32, DX

adam_denom:
	VSQRTPS     Y9, Y11
	VDIVPS      Y4, Y11, Y11
	VADDPS      Y5, Y11, Y11
	VMULPS      Y6, Y8, Y10
	VDIVPS      Y11, Y10, Y10
	VADDPS      Y10, Y13, Y13
	VMOVUPS     Y13, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         adam_loop

adam_done:
	VZEROUPPER
	RET

// func adagradAVX2(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sum = fma(d, d, sum); p = p + (-clr*d) / (sqrt(sum) + eps)
TEXT ·adagradAVX2(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sum+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), AX
	VBROADCASTSS 0(AX), Y0  // -clr
	VBROADCASTSS 4(AX), Y1  // eps
	VBROADCASTSS 8(AX), Y8  // weight decay
	MOVL         12(AX), R10 // flags
	VPCMPEQD     Y9, Y9, Y9
	VPSLLD       $31, Y9, Y9 // sign bits
	SHRQ         $3, CX
	JZ           adagrad_done

adagrad_loop:
	VMOVUPS (SI), Y2
	VMOVUPS (DI), Y6
	TESTL   $1, R10 // maximize
	JZ      adagrad_wd
	VXORPS  Y9, Y2, Y2

adagrad_wd:
	TESTL       $2, R10 // weight decay
	JZ          adagrad_sum
	VFMADD231PS Y8, Y6, Y2

adagrad_sum:
	VMOVUPS     (DX), Y3
	VFMADD231PS Y2, Y2, Y3
	VMOVUPS     Y3, (DX)
	VSQRTPS     Y3, Y4
	VADDPS      Y1, Y4, Y4
	VMULPS      Y0, Y2, Y5
	VDIVPS      Y4, Y5, Y5
	VADDPS      Y5, Y6, Y6
	VMOVUPS     Y6, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         adagrad_loop

adagrad_done:
	VZEROUPPER
	RET

// func rmspropAVX2(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sq = fma((1-alpha)*d, d, sq*alpha)
// centered: ga = fma(d, 1-alpha, ga*alpha); avg = sqrt(sq - ga*ga) + eps (one rounding inside)
// else:     avg = sqrt(sq) + eps
// momentum: buf = buf*momentum + d/avg; p = fma(buf, -lr, p)
// else:     p = p + (-lr*d) / avg
TEXT ·rmspropAVX2(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), DX
	MOVQ gradAvg+24(FP), R8
	MOVQ buf+32(FP), R9
	MOVQ n+40(FP), CX
	MOVQ k+48(FP), AX
	VBROADCASTSS 0(AX), Y0   // alpha
	VBROADCASTSS 4(AX), Y1   // 1-alpha
	VBROADCASTSS 8(AX), Y2   // eps
	VBROADCASTSS 12(AX), Y3  // -lr
	VBROADCASTSS 16(AX), Y12 // weight decay
	VBROADCASTSS 20(AX), Y13 // momentum
	MOVL         24(AX), R10 // flags
	VPCMPEQD     Y14, Y14, Y14
	VPSLLD       $31, Y14, Y14 // sign bits
	SHRQ         $3, CX
	JZ           rms_done

rms_loop:
	VMOVUPS (SI), Y4
	VMOVUPS (DI), Y9
	TESTL   $1, R10 // maximize
	JZ      rms_wd
	VXORPS  Y14, Y4, Y4

rms_wd:
	TESTL       $2, R10 // weight decay
	JZ          rms_sq
	VFMADD231PS Y12, Y9, Y4

rms_sq:
	VMOVUPS     (DX), Y5
	VMULPS      Y0, Y5, Y5
	VMULPS      Y1, Y4, Y6
	VFMADD231PS Y4, Y6, Y5
	VMOVUPS     Y5, (DX)
	TESTL       $4, R10 // centered
	JZ          rms_plain
	VMOVUPS     (R8), Y10
	VMULPS      Y0, Y10, Y10
	VFMADD231PS Y1, Y4, Y10
	VMOVUPS     Y10, (R8)
	ADDQ        $32, R8
	VFNMADD231PS Y10, Y10, Y5
	VSQRTPS     Y5, Y7
	JMP         rms_eps

rms_plain:
	VSQRTPS Y5, Y7

rms_eps:
	VADDPS Y2, Y7, Y7
	TESTL  $8, R10 // momentum
	JZ     rms_nomom
	VMOVUPS     (R9), Y11
	VMULPS      Y13, Y11, Y11
	VDIVPS      Y7, Y4, Y8
	VADDPS      Y8, Y11, Y11
	VMOVUPS     Y11, (R9)
	ADDQ        $32, R9
	VFMADD231PS Y3, Y11, Y9
	JMP         rms_store

rms_nomom:
	VMULPS Y3, Y4, Y8
	VDIVPS Y7, Y8, Y8
	VADDPS Y8, Y9, Y9

rms_store:
	VMOVUPS Y9, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     rms_loop

rms_done:
	VZEROUPPER
	RET

// func adadeltaAVX2(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sq = fma((1-rho)*d, d, sq*rho); delta = sqrt(acc+eps)/sqrt(sq+eps)*d
// acc = fma((1-rho)*delta, delta, acc*rho); p = fma(delta, -lr, p)
TEXT ·adadeltaAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), DX
	MOVQ acc+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Y0   // rho
	VBROADCASTSS 4(AX), Y1   // 1-rho
	VBROADCASTSS 8(AX), Y2   // eps
	VBROADCASTSS 12(AX), Y3  // -lr
	VBROADCASTSS 16(AX), Y12 // weight decay
	MOVL         20(AX), R10 // flags
	VPCMPEQD     Y13, Y13, Y13
	VPSLLD       $31, Y13, Y13 // sign bits
	SHRQ         $3, CX
	JZ           delta_done

delta_loop:
	VMOVUPS (SI), Y4
	VMOVUPS (DI), Y11
	TESTL   $1, R10 // maximize
	JZ      delta_wd
	VXORPS  Y13, Y4, Y4

delta_wd:
	TESTL       $2, R10 // weight decay
	JZ          delta_sq
	VFMADD231PS Y12, Y11, Y4

delta_sq:
	VMOVUPS     (DX), Y5
	VMULPS      Y0, Y5, Y5
	VMULPS      Y1, Y4, Y6
	VFMADD231PS Y4, Y6, Y5
	VMOVUPS     Y5, (DX)
	VADDPS      Y2, Y5, Y7
	VSQRTPS     Y7, Y7
	VMOVUPS     (R8), Y8
	VADDPS      Y2, Y8, Y9
	VSQRTPS     Y9, Y9
	VDIVPS      Y7, Y9, Y9
	VMULPS      Y4, Y9, Y9
	VMULPS      Y0, Y8, Y8
	VMULPS      Y1, Y9, Y10
	VFMADD231PS Y9, Y10, Y8
	VMOVUPS     Y8, (R8)
	VFMADD231PS Y3, Y9, Y11
	VMOVUPS     Y11, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	ADDQ        $32, R8
	DECQ        CX
	JNZ         delta_loop

delta_done:
	VZEROUPPER
	RET

// The same loops for float64: 4 lanes, the PD forms of the same
// instructions, argument blocks of float64 (offsets doubled).

// func sgdAVX2F64(p, grad, buf unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// with momentum: buf = first ? d : fma(d, 1-dampening, buf*momentum)
//                d = nesterov ? fma(buf, momentum, d) : buf
// p = fma(d, -lr, p)
TEXT ·sgdAVX2F64(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ buf+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), AX
	VBROADCASTSD 0(AX), Y0  // momentum
	VBROADCASTSD 8(AX), Y1  // 1-dampening
	VBROADCASTSD 16(AX), Y2  // -lr
	VBROADCASTSD 24(AX), Y6 // weight decay
	MOVL         32(AX), R10 // flags
	VPCMPEQD     Y7, Y7, Y7
	VPSLLQ       $63, Y7, Y7 // sign bits
	SHRQ         $2, CX
	JZ           sgd_f64_done

sgd_f64_loop:
	VMOVUPD (SI), Y4
	VMOVUPD (DI), Y5
	TESTL   $8, R10 // maximize
	JZ      sgd_f64_wd
	VXORPD  Y7, Y4, Y4

sgd_f64_wd:
	TESTL       $16, R10 // weight decay
	JZ          sgd_f64_mom
	VFMADD231PD Y6, Y5, Y4

sgd_f64_mom:
	TESTL       $1, R10 // momentum
	JZ          sgd_f64_update
	TESTL       $4, R10 // first step: the buffer is a copy of d
	JNZ         sgd_f64_first
	VMOVUPD     (DX), Y3
	VMULPD      Y0, Y3, Y3
	VFMADD231PD Y1, Y4, Y3
	JMP         sgd_f64_store

sgd_f64_first:
	VMOVAPD Y4, Y3

sgd_f64_store:
	VMOVUPD     Y3, (DX)
	ADDQ        $32, DX
	TESTL       $2, R10 // nesterov
	JZ          sgd_f64_heavy
	VFMADD231PD Y0, Y3, Y4
	JMP         sgd_f64_update

sgd_f64_heavy:
	VMOVAPD Y3, Y4

sgd_f64_update:
	VFMADD231PD Y2, Y4, Y5
	VMOVUPD     Y5, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         sgd_f64_loop

sgd_f64_done:
	VZEROUPPER
	RET

// func adamAVX2F64(p, grad, m, v, maxSq unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if L2 weight decay: d = fma(p, wd, d)
// if decoupled (AdamW): p *= 1 - lr*wd
// m = fma(d, 1-beta1, m*beta1)
// v = fma((1-beta2)*d, d, v*beta2)
// amsgrad: maxSq = maximum(maxSq, v) (NaN if either is, as ATen's), used for v below
// p = p + (-stepSize*m) / (sqrt(v)/bc2sqrt + eps)
TEXT ·adamAVX2F64(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ maxSq+32(FP), DX
	MOVQ n+40(FP), CX
	MOVQ k+48(FP), AX
	VBROADCASTSD 0(AX), Y0   // beta1
	VBROADCASTSD 8(AX), Y1   // 1-beta1
	VBROADCASTSD 16(AX), Y2   // beta2
	VBROADCASTSD 24(AX), Y3  // 1-beta2
	VBROADCASTSD 32(AX), Y4  // bc2sqrt
	VBROADCASTSD 40(AX), Y5  // eps
	VBROADCASTSD 48(AX), Y6  // -stepSize
	VBROADCASTSD 56(AX), Y14 // decay
	VBROADCASTSD 64(AX), Y15 // weight decay
	MOVL         72(AX), R10 // flags
	VPCMPEQD     Y12, Y12, Y12
	VPSLLQ       $63, Y12, Y12 // sign bits
	SHRQ         $2, CX
	JZ           adam_f64_done

adam_f64_loop:
	VMOVUPD (SI), Y7
	VMOVUPD (DI), Y13
	TESTL   $1, R10 // maximize
	JZ      adam_f64_l2
	VXORPD  Y12, Y7, Y7

adam_f64_l2:
	TESTL       $2, R10 // L2 weight decay (Adam)
	JZ          adam_f64_decay
	VFMADD231PD Y15, Y13, Y7

adam_f64_decay:
	TESTL  $4, R10 // decoupled weight decay (AdamW)
	JZ     adam_f64_moments
	VMULPD Y14, Y13, Y13

adam_f64_moments:
	VMOVUPD     (R8), Y8
	VMULPD      Y0, Y8, Y8
	VFMADD231PD Y1, Y7, Y8
	VMOVUPD     Y8, (R8)
	VMOVUPD     (R9), Y9
	VMULPD      Y2, Y9, Y9
	VMULPD      Y3, Y7, Y10
	VFMADD231PD Y7, Y10, Y9
	VMOVUPD     Y9, (R9)
	TESTL       $8, R10 // amsgrad
	JZ          adam_f64_denom
	VMOVUPD     (DX), Y10
	VMAXPD      Y9, Y10, Y11
	VCMPPD      $3, Y9, Y10, Y10 // unordered: either is NaN
	VORPD       Y10, Y11, Y9
	VMOVUPD     Y9, (DX)
	ADDQ        $32, DX

adam_f64_denom:
	VSQRTPD     Y9, Y11
	VDIVPD      Y4, Y11, Y11
	VADDPD      Y5, Y11, Y11
	VMULPD      Y6, Y8, Y10
	VDIVPD      Y11, Y10, Y10
	VADDPD      Y10, Y13, Y13
	VMOVUPD     Y13, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         adam_f64_loop

adam_f64_done:
	VZEROUPPER
	RET

// func adagradAVX2F64(p, grad, sum unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sum = fma(d, d, sum); p = p + (-clr*d) / (sqrt(sum) + eps)
TEXT ·adagradAVX2F64(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sum+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), AX
	VBROADCASTSD 0(AX), Y0  // -clr
	VBROADCASTSD 8(AX), Y1  // eps
	VBROADCASTSD 16(AX), Y8  // weight decay
	MOVL         24(AX), R10 // flags
	VPCMPEQD     Y9, Y9, Y9
	VPSLLQ       $63, Y9, Y9 // sign bits
	SHRQ         $2, CX
	JZ           adagrad_f64_done

adagrad_f64_loop:
	VMOVUPD (SI), Y2
	VMOVUPD (DI), Y6
	TESTL   $1, R10 // maximize
	JZ      adagrad_f64_wd
	VXORPD  Y9, Y2, Y2

adagrad_f64_wd:
	TESTL       $2, R10 // weight decay
	JZ          adagrad_f64_sum
	VFMADD231PD Y8, Y6, Y2

adagrad_f64_sum:
	VMOVUPD     (DX), Y3
	VFMADD231PD Y2, Y2, Y3
	VMOVUPD     Y3, (DX)
	VSQRTPD     Y3, Y4
	VADDPD      Y1, Y4, Y4
	VMULPD      Y0, Y2, Y5
	VDIVPD      Y4, Y5, Y5
	VADDPD      Y5, Y6, Y6
	VMOVUPD     Y6, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         adagrad_f64_loop

adagrad_f64_done:
	VZEROUPPER
	RET

// func rmspropAVX2F64(p, grad, sq, gradAvg, buf unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sq = fma((1-alpha)*d, d, sq*alpha)
// centered: ga = fma(d, 1-alpha, ga*alpha); avg = sqrt(sq - ga*ga) + eps (one rounding inside)
// else:     avg = sqrt(sq) + eps
// momentum: buf = buf*momentum + d/avg; p = fma(buf, -lr, p)
// else:     p = p + (-lr*d) / avg
TEXT ·rmspropAVX2F64(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), DX
	MOVQ gradAvg+24(FP), R8
	MOVQ buf+32(FP), R9
	MOVQ n+40(FP), CX
	MOVQ k+48(FP), AX
	VBROADCASTSD 0(AX), Y0   // alpha
	VBROADCASTSD 8(AX), Y1   // 1-alpha
	VBROADCASTSD 16(AX), Y2   // eps
	VBROADCASTSD 24(AX), Y3  // -lr
	VBROADCASTSD 32(AX), Y12 // weight decay
	VBROADCASTSD 40(AX), Y13 // momentum
	MOVL         48(AX), R10 // flags
	VPCMPEQD     Y14, Y14, Y14
	VPSLLQ       $63, Y14, Y14 // sign bits
	SHRQ         $2, CX
	JZ           rms_f64_done

rms_f64_loop:
	VMOVUPD (SI), Y4
	VMOVUPD (DI), Y9
	TESTL   $1, R10 // maximize
	JZ      rms_f64_wd
	VXORPD  Y14, Y4, Y4

rms_f64_wd:
	TESTL       $2, R10 // weight decay
	JZ          rms_f64_sq
	VFMADD231PD Y12, Y9, Y4

rms_f64_sq:
	VMOVUPD     (DX), Y5
	VMULPD      Y0, Y5, Y5
	VMULPD      Y1, Y4, Y6
	VFMADD231PD Y4, Y6, Y5
	VMOVUPD     Y5, (DX)
	TESTL       $4, R10 // centered
	JZ          rms_f64_plain
	VMOVUPD     (R8), Y10
	VMULPD      Y0, Y10, Y10
	VFMADD231PD Y1, Y4, Y10
	VMOVUPD     Y10, (R8)
	ADDQ        $32, R8
	VFNMADD231PD Y10, Y10, Y5
	VSQRTPD     Y5, Y7
	JMP         rms_f64_eps

rms_f64_plain:
	VSQRTPD Y5, Y7

rms_f64_eps:
	VADDPD Y2, Y7, Y7
	TESTL  $8, R10 // momentum
	JZ     rms_f64_nomom
	VMOVUPD     (R9), Y11
	VMULPD      Y13, Y11, Y11
	VDIVPD      Y7, Y4, Y8
	VADDPD      Y8, Y11, Y11
	VMOVUPD     Y11, (R9)
	ADDQ        $32, R9
	VFMADD231PD Y3, Y11, Y9
	JMP         rms_f64_store

rms_f64_nomom:
	VMULPD Y3, Y4, Y8
	VDIVPD Y7, Y8, Y8
	VADDPD Y8, Y9, Y9

rms_f64_store:
	VMOVUPD Y9, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     rms_f64_loop

rms_f64_done:
	VZEROUPPER
	RET

// func adadeltaAVX2F64(p, grad, sq, acc unsafe.Pointer, n int, k unsafe.Pointer)
// d = maximize ? -g : g; if wd != 0: d = fma(p, wd, d)
// sq = fma((1-rho)*d, d, sq*rho); delta = sqrt(acc+eps)/sqrt(sq+eps)*d
// acc = fma((1-rho)*delta, delta, acc*rho); p = fma(delta, -lr, p)
TEXT ·adadeltaAVX2F64(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ sq+16(FP), DX
	MOVQ acc+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Y0   // rho
	VBROADCASTSD 8(AX), Y1   // 1-rho
	VBROADCASTSD 16(AX), Y2   // eps
	VBROADCASTSD 24(AX), Y3  // -lr
	VBROADCASTSD 32(AX), Y12 // weight decay
	MOVL         40(AX), R10 // flags
	VPCMPEQD     Y13, Y13, Y13
	VPSLLQ       $63, Y13, Y13 // sign bits
	SHRQ         $2, CX
	JZ           delta_f64_done

delta_f64_loop:
	VMOVUPD (SI), Y4
	VMOVUPD (DI), Y11
	TESTL   $1, R10 // maximize
	JZ      delta_f64_wd
	VXORPD  Y13, Y4, Y4

delta_f64_wd:
	TESTL       $2, R10 // weight decay
	JZ          delta_f64_sq
	VFMADD231PD Y12, Y11, Y4

delta_f64_sq:
	VMOVUPD     (DX), Y5
	VMULPD      Y0, Y5, Y5
	VMULPD      Y1, Y4, Y6
	VFMADD231PD Y4, Y6, Y5
	VMOVUPD     Y5, (DX)
	VADDPD      Y2, Y5, Y7
	VSQRTPD     Y7, Y7
	VMOVUPD     (R8), Y8
	VADDPD      Y2, Y8, Y9
	VSQRTPD     Y9, Y9
	VDIVPD      Y7, Y9, Y9
	VMULPD      Y4, Y9, Y9
	VMULPD      Y0, Y8, Y8
	VMULPD      Y1, Y9, Y10
	VFMADD231PD Y9, Y10, Y8
	VMOVUPD     Y8, (R8)
	VFMADD231PD Y3, Y9, Y11
	VMOVUPD     Y11, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	ADDQ        $32, R8
	DECQ        CX
	JNZ         delta_f64_loop

delta_f64_done:
	VZEROUPPER
	RET
