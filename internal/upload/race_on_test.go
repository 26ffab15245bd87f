//go:build race

package upload

// raceSlowdown is how much slower code runs under the race detector, for
// the tests that time work: they still catch a refusal that reads the whole
// bomb, which takes minutes, not seconds.
const raceSlowdown = 5
