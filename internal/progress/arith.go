package progress

// roundDiv returns a/b rounded to the nearest integer, halves away from
// zero; b must be positive.
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// ceilDiv returns a/b rounded up; a must be non-negative, b positive.
func ceilDiv(a, b int64) int64 {
	return (a + b - 1) / b
}
