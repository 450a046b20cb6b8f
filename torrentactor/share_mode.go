package torrentactor

// shareMode is the state of share mode (seedingModes).
type shareMode struct{}
