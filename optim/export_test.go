package optim

// SetAVX2 switches the float32 assembly loops on or off for tests, so both
// paths meet the golden trajectories. It returns the previous setting.
func SetAVX2(on bool) (prev bool) {
	prev = useAVX2
	useAVX2 = on && detectAVX2FMA()
	return prev
}
