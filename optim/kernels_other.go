//go:build !amd64

package optim

func detectAVX2FMA() bool { return false }

func sgdAVX2(p, grad, buf *float32, n int, k *sgdConsts) {
	panic("optim: no AVX2 on this architecture")
}

func adamAVX2(p, grad, m, v, maxSq *float32, n int, k *adamConsts) {
	panic("optim: no AVX2 on this architecture")
}

func adagradAVX2(p, grad, sum *float32, n int, k *adagradConsts) {
	panic("optim: no AVX2 on this architecture")
}

func rmspropAVX2(p, grad, sq, gradAvg, buf *float32, n int, k *rmspropConsts) {
	panic("optim: no AVX2 on this architecture")
}

func adadeltaAVX2(p, grad, sq, acc *float32, n int, k *adadeltaConsts) {
	panic("optim: no AVX2 on this architecture")
}
