//go:build !race

package sessionstate

// raceEnabled: the tests run under the race detector.
const raceEnabled = false
