#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
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

// The loops below do 8 float32 lanes at a time with the instructions ATen's
// AVX2 kernels use (VFMADD231PS for add(alpha=), VMULPS, VDIVPS, VSQRTPS, VADDPS),
// so every lane rounds exactly as PyTorch's does. n is a multiple of 8.

// func sgdAVX2(p, grad *float32, n int, negLR float32)
// p = fma(g, -lr, p)
TEXT ·sgdAVX2(SB), NOSPLIT, $0-28
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS negLR+24(FP), Y0
	SHRQ $3, CX
	JZ   sgd_done

sgd_loop:
	VMOVUPS     (SI), Y1
	VMOVUPS     (DI), Y2
	VFMADD231PS Y0, Y1, Y2
	VMOVUPS     Y2, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         sgd_loop

sgd_done:
	VZEROUPPER
	RET

// func sgdMomentumAVX2(p, grad, buf *float32, n int, mom, oneMinusDamp, negLR float32, nesterov bool)
// buf = fma(g, 1-dampening, buf*momentum)
// d = nesterov ? fma(buf, momentum, g) : buf
// p = fma(d, -lr, p)
TEXT ·sgdMomentumAVX2(SB), NOSPLIT, $0-45
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ buf+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS mom+32(FP), Y0
	VBROADCASTSS oneMinusDamp+36(FP), Y1
	VBROADCASTSS negLR+40(FP), Y2
	MOVBLZX nesterov+44(FP), AX
	SHRQ $3, CX
	JZ   mom_done
	TESTB AL, AL
	JNZ  nes_loop

mom_loop:
	VMOVUPS     (DX), Y3
	VMULPS      Y0, Y3, Y3
	VMOVUPS     (SI), Y4
	VFMADD231PS Y1, Y4, Y3
	VMOVUPS     Y3, (DX)
	VMOVUPS     (DI), Y5
	VFMADD231PS Y2, Y3, Y5
	VMOVUPS     Y5, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         mom_loop
	JMP         mom_done

nes_loop:
	VMOVUPS     (DX), Y3
	VMULPS      Y0, Y3, Y3
	VMOVUPS     (SI), Y4
	VFMADD231PS Y1, Y4, Y3
	VMOVUPS     Y3, (DX)
	VFMADD231PS Y0, Y3, Y4
	VMOVUPS     (DI), Y5
	VFMADD231PS Y2, Y4, Y5
	VMOVUPS     Y5, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         nes_loop

mom_done:
	VZEROUPPER
	RET

// func adamAVX2(p, grad, m, v *float32, n int, k *adamConsts)
// p *= decay                      (AdamW; 1 for Adam)
// m = fma(g, 1-beta1, m*beta1)
// v = fma((1-beta2)*g, g, v*beta2)
// p = p + (-stepSize*m) / (sqrt(v)/bc2sqrt + eps)
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Y0  // beta1
	VBROADCASTSS 4(AX), Y1  // 1-beta1
	VBROADCASTSS 8(AX), Y2  // beta2
	VBROADCASTSS 12(AX), Y3 // 1-beta2
	VBROADCASTSS 16(AX), Y4 // bc2sqrt
	VBROADCASTSS 20(AX), Y5 // eps
	VBROADCASTSS 24(AX), Y6 // -stepSize
	VBROADCASTSS 28(AX), Y14 // decay
	SHRQ $3, CX
	JZ   adam_done

adam_loop:
	VMOVUPS     (SI), Y7
	VMOVUPS     (R8), Y8
	VMULPS      Y0, Y8, Y8
	VFMADD231PS Y1, Y7, Y8
	VMOVUPS     Y8, (R8)
	VMOVUPS     (R9), Y9
	VMULPS      Y2, Y9, Y9
	VMULPS      Y3, Y7, Y10
	VFMADD231PS Y7, Y10, Y9
	VMOVUPS     Y9, (R9)
	VSQRTPS     Y9, Y11
	VDIVPS      Y4, Y11, Y11
	VADDPS      Y5, Y11, Y11
	VMULPS      Y6, Y8, Y12
	VDIVPS      Y11, Y12, Y12
	VMOVUPS     (DI), Y13
	VMULPS      Y14, Y13, Y13
	VADDPS      Y12, Y13, Y13
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
