package torrentactor

// lazyVerify is the state of seed mode's lazy verification (seedingModes).
type lazyVerify struct{}
