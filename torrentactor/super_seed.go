package torrentactor

// superSeed is the state of super seeding (BEP 16) (seedingModes).
type superSeed struct{}
